from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepresentativesConfig(AppConfig):
    name = "representatives"
    verbose_name = _("Representatives")

    def ready(self):
        from liaison.base.scopes import role_source
        from representatives.scopes import group_roles, representative_roles

        role_source(representative_roles)
        role_source(group_roles)
