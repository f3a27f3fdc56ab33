"""The staff pages of cases and visits: the reception desk, lists, case detail and its moves."""
