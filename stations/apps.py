from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = _("Stations")

    def ready(self):
        from liaison.base.scopes import role_source
        from stations.scopes import station_roles

        role_source(station_roles)
