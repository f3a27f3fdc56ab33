"""Separated administrator duties (三员分立, MLPS level 3): the system administrator runs
the site (regions, stations, units, settings), the security administrator manages
accounts and their roles, the audit administrator reads the audit. An account holds at
most one duty (one row per user), and only the audit administrator reads the audit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AdminDuty(models.TextChoices):
    SYSTEM = "system", _("System administrator")
    SECURITY = "security", _("Security administrator")
    AUDIT = "audit", _("Audit administrator")


class AdminAssignment(models.Model):
    # One-to-one: no account holds two duties.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="admin_duty",
    )
    duty = models.CharField(_("duty"), max_length=10, choices=AdminDuty.choices)

    class Meta:
        app_label = "liaison"
        verbose_name = _("administrator duty")
        verbose_name_plural = _("administrator duties")

    def __str__(self):
        return f"{self.user} · {self.get_duty_display()}"


def duty_of(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    cached = getattr(user, "_liaison_duty", False)
    if cached is False:
        cached = (
            AdminAssignment.objects.filter(user_id=user.pk).values_list("duty", flat=True).first()
        )
        user._liaison_duty = cached
    return cached


def is_audit_admin(user) -> bool:
    return duty_of(user) == AdminDuty.AUDIT
