from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkareaConfig(AppConfig):
    name = "workarea"
    verbose_name = _("Work area")

    def ready(self):
        from liaison.base import auth
        from suggestions.cases.selectors import read_with_case_page
        from workarea import inbox
        from workarea.attachments import files_read

        auth.read_with_user("unread", inbox.unread_read)
        read_with_case_page("files", files_read)
