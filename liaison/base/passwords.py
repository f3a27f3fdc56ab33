"""Password rules of MLPS level 3: at least three of the four character classes, and not
the username (Django's validators add the length, common passwords and digits only);
passwords expire after PASSWORD_MAX_AGE_DAYS."""

import datetime as dt
import re

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.base.session_gate import SessionGateMiddleware

CLASSES = [
    re.compile(r"[a-z]"),
    re.compile(r"[A-Z]"),
    re.compile(r"[0-9]"),
    re.compile(r"[^a-zA-Z0-9]"),
]


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if sum(1 for pattern in CLASSES if pattern.search(password)) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_classes")
        username = (getattr(user, "username", "") or "").lower()
        if username and username in password.lower():
            raise ValidationError(
                _("The password may not contain the username."), code="password_username"
            )

    def get_help_text(self):
        return _(
            "Use at least three of: lower-case letters, upper-case letters, digits and symbols."
        )


# PASSWORD EXPIRY (MLPS: passwords changed periodically)
# When each password was last set: recorded by ``PasswordAgeRecorder`` (a password
# validator, whose ``password_changed`` Django calls whenever a user saved with a new
# password); an account without a row counts from when it was created. At login an
# expired password (older than PASSWORD_MAX_AGE_DAYS; 0 turns expiry off) marks the
# session, which then opens only the password change page until the password is changed.

EXPIRED = "password_expired"


class PasswordAge(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("user"),
        on_delete=models.CASCADE,
        related_name="password_age",
    )
    changed_at = models.DateTimeField(gettext_lazy("password changed"))

    class Meta:
        app_label = "liaison"
        verbose_name = gettext_lazy("password age")
        verbose_name_plural = gettext_lazy("password ages")

    def __str__(self):
        return str(self.user)


class PasswordAgeRecorder:
    """Not a rule: records when a password was set (Django calls ``password_changed``),
    and its help text says how long a password is good for."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            PasswordAge.objects.update_or_create(user=user, defaults={"changed_at": timezone.now()})

    def get_help_text(self):
        days = settings.PASSWORD_MAX_AGE_DAYS
        if not days:
            return ""
        return _("A password is good for %(days)d days; then it must be changed.") % {"days": days}


def password_expires_at(user) -> dt.datetime | None:
    """When the user's password stops being good, or None (expiry off, no password)."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or not user.has_usable_password():
        return None
    changed = (
        PasswordAge.objects.filter(user_id=user.pk).values_list("changed_at", flat=True).first()
    )
    return (changed or user.date_joined) + dt.timedelta(days=days)


def password_expired(user) -> bool:
    expires = password_expires_at(user)
    return expires is not None and timezone.now() > expires


def _mark_expired(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and password_expired(user):
        request.session[EXPIRED] = True


user_logged_in.connect(_mark_expired, dispatch_uid="password-expiry")


class PasswordExpiryMiddleware(SessionGateMiddleware):
    """While the session's password has expired, only the password change page (and
    two-factor enrolment, which may be due as well) answers."""

    key = EXPIRED
    page = "staff:password-change"
    allowed = ("/staff/password/", "/staff/two-factor/")
