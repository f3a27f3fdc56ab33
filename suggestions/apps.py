from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("Cases and suggestions")

    def ready(self):
        from liaison.base.auth import read_with_user
        from liaison.base.scopes import role_source
        from suggestions.cases.filters import categories_read
        from suggestions.cases.selectors import unit_names_read
        from suggestions.shared.scopes import unit_roles

        role_source(unit_roles)
        read_with_user("active_categories", categories_read)
        read_with_user("unit_names", unit_names_read)
