"""Login lockout: after LOGIN_FAILURE_LIMIT failed logins (5) an account, and separately
a client address, is locked for LOGIN_LOCKOUT_SECONDS (30 minutes) from the last
failure. Counted on the rate-limit cache (``ratelimit.py``), by the one client address
every limit uses, and recorded in the audit."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from liaison.base import ratelimit
from liaison.base.audit import AuditAction, audit


def _limits(request, username: str):
    seconds = settings.LOGIN_LOCKOUT_SECONDS
    hits = settings.LOGIN_FAILURE_LIMIT
    return [
        (ratelimit.Limit("login-account", hits, seconds), username.strip().lower()),
        (ratelimit.Limit("login-address", hits, seconds), ratelimit.client_ip(request)),
    ]


def locked(request, username: str) -> bool:
    return any(ratelimit.exceeded(limit, value) for limit, value in _limits(request, username))


def failed(request, username: str) -> None:
    """Count a failure; the one that reaches the limit locks for the full time."""
    for limit, value in _limits(request, username):
        if not ratelimit.hit(limit, value) or ratelimit.exceeded(limit, value):
            cache.touch(ratelimit.key(limit, value), limit.seconds)
            audit(action=AuditAction.LOCKOUT, request=request, username=username, detail=limit.name)


def succeeded(request, username: str) -> None:
    limit, value = _limits(request, username)[0]
    cache.delete(ratelimit.key(limit, value))


class LockoutAuthenticationForm(AuthenticationForm):
    """The staff and admin login: refuses a locked account or address before checking the
    password, so that guessing on stops counting as a try."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed logins. For your account's safety, logging in is paused for "
            "30 minutes; ask your security administrator if you need it sooner."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if locked(self.request, username):
            audit(
                action=AuditAction.LOGIN_FAILED,
                request=self.request,
                username=username,
                result="locked",
            )
            raise ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except ValidationError:
            failed(self.request, username)
            raise
        succeeded(self.request, username)
        return cleaned
