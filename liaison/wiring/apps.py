from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WiringConfig(AppConfig):
    """What composes the apps: URLs, home pages, recompute, demo seeding, users' roles."""

    name = "liaison.wiring"
    label = "wiring"
    verbose_name = _("Users and roles")

    def ready(self):
        # Stored notice and sweep dates follow changes to the calendar and the rules.
        from liaison.wiring import jinja_globals, public_pages, security, triggers

        triggers.connect()
        security.connect()
        # Cached public pages follow the rows they show.
        public_pages.connect()
        # The frame and the parts of this layer that Jinja2 pages call.
        jinja_globals.register()
