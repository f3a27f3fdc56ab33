"""API tokens (MLPS level 3): issued by the token endpoint (liaison/wiring/api_tokens.py),
good for ``API_TOKEN_DAYS``, revocable, and stored hashed: the database keeps the
SHA-256 of the key and its first characters (to tell tokens apart in the admin), so a
copy of the database or a look at the admin gives no usable token. The key itself is
shown once, in the answer that issues it.

Clients send it as before: ``Authorization: Token <key>``."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from liaison.base.passwords import password_expires_at

PREFIX_LENGTH = 8
# A key is 43 URL-safe characters; anything much longer is no key of ours.
MAX_KEY_LENGTH = 64
# last_used_at is written at most this often per token, not on every request.
LAST_USED_STEP = dt.timedelta(minutes=1)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("starts with"), max_length=PREFIX_LENGTH)
    digest = models.CharField(_("SHA-256 of the key"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        app_label = "liaison"
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "expires_at"], name="apitoken_user_expires")]

    def __str__(self):
        return f"{self.user} · {self.prefix}…"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


def issue(user, *, name: str = "") -> tuple[ApiToken, str]:
    """A new token for the user; returns it and its key (which is stored nowhere). It
    expires after API_TOKEN_DAYS, or with the password that issued it if that is sooner:
    a token must not keep an expired password's access alive."""
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    expires = now + dt.timedelta(days=settings.API_TOKEN_DAYS)
    password_expires = password_expires_at(user)
    if password_expires is not None:
        expires = min(expires, password_expires)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:PREFIX_LENGTH],
        digest=digest(key),
        created_at=now,
        expires_at=expires,
    )
    return token, key


def revoke(tokens) -> int:
    """Revokes the usable tokens of a queryset; returns how many."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


class HashedTokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>`` against the hashed, expiring, revocable tokens."""

    model = ApiToken

    def authenticate_credentials(self, key):
        refused = exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        if not key or len(key) > MAX_KEY_LENGTH:
            raise refused
        token = ApiToken.objects.select_related("user").filter(digest=digest(key)).first()
        if token is None or not token.is_usable:
            raise refused
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_STEP:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
