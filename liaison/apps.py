from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonConfig(AppConfig):
    name = "liaison"
    verbose_name = _("Regions, calendar and roles")

    def ready(self):
        # Stored notice and sweep dates follow changes to the calendar and the rules.
        from liaison import recompute

        recompute.connect()
