from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("Cases and suggestions")

    def ready(self):
        from liaison.base.scopes import role_source
        from suggestions.shared.scopes import unit_roles

        role_source(unit_roles)
