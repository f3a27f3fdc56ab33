from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkareaConfig(AppConfig):
    name = "workarea"
    verbose_name = _("Work area")

    def ready(self):
        from liaison.base import auth
        from workarea import inbox

        auth.read_with_user("unread", inbox.unread_read)
