from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COMMITTEE = "committee", _("Committee staff")
    LIAISON = "liaison", _("Station liaison")
    UNIT = "unit", _("Handling-unit staff")
    REPRESENTATIVE = "representative", _("Representative")
    GROUP = "group", _("Representative group liaison")
