"""Representative suggestions (代表建议): filed by representatives, assigned by the
committee to a lead unit and co-units, answered on legal deadlines, rated by the
representatives themselves, re-handled when unsatisfied, and published.

Its models live in the ``suggestions`` app (imported at the bottom of
``suggestions/models.py``); see ``suggestions/README.md``.
"""
