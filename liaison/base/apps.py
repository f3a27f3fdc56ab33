from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaseConfig(AppConfig):
    """The base every app stands on; its models keep the app label ``liaison``."""

    name = "liaison.base"
    label = "liaison"
    verbose_name = _("Regions, calendar and roles")

    def ready(self):
        from liaison.base import (  # noqa: F401 (idle connects its signal)
            auth,
            choices,
            csrf,
            idle,
            pg_statements,
            scopes,
            security_events,
        )

        scopes.role_source(scopes.committee_roles)
        auth.read_with_user("roles", scopes.roles_read)
        security_events.connect()
        choices.install()
        csrf.install()
        pg_statements.install()
