from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkareaConfig(AppConfig):
    name = "workarea"
    verbose_name = _("Work area")
