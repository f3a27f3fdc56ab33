"""The staff pages of representative suggestions, under /staff/suggestions/: lists per
role, the suggestion page with one form per available move, filing, figures and the
ledger, and the year's excellent selection. Views are thin: scope comes from
``selectors``, moves from the flow table through ``forms.PAGES``."""
