"""The staff work area at /staff/: the layout, navigation by role, login and "my work".

The pages themselves live with their apps (stations/staff/, suggestions/staff/);
this package wires them under one URL namespace, ``staff``.
"""
