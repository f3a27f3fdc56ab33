"""Two-factor login by TOTP (RFC 6238 on RFC 4226's HOTP: HMAC-SHA1, 30-second steps,
six digits), with the standard library only; any authenticator app reads the QR code.

A device is one secret per user, confirmed by a first good code; a code is good once
(the step last used is kept) and one step either side of now is accepted for clocks
that drift."""

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

STEP_SECONDS = 30
DIGITS = 6


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode()


def code_at(secret: str, step: int) -> str:
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def matching_step(secret: str, code: str, *, now: float | None = None) -> int | None:
    code = (code or "").strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    step = current_step(now)
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(code_at(secret, candidate), code):
            return candidate
    return None


def unused_code(secret: str, last_step: int, *, now: float | None = None) -> str | None:
    """A code that a device with this secret would accept now, or None while the codes of
    this step and the next are spent (a code is good once)."""
    step = max(current_step(now), last_step + 1)
    if step > current_step(now) + 1:
        return None
    return code_at(secret, step)


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    label = quote(f"{issuer}:{account}")
    return f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}&digits={DIGITS}&period={STEP_SECONDS}"


class TwoFactorDevice(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="two_factor",
    )
    secret = models.CharField(_("secret"), max_length=64)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    last_step = models.BigIntegerField(_("last step used"), default=0)

    class Meta:
        app_label = "liaison"
        verbose_name = _("two-factor device")
        verbose_name_plural = _("two-factor devices")

    def __str__(self):
        return str(self.user)

    def accept(self, code: str) -> bool:
        """Whether the code is good now and unused; a good code is spent."""
        step = matching_step(self.secret, code)
        if step is None or step <= self.last_step:
            return False
        updated = TwoFactorDevice.objects.filter(pk=self.pk, last_step__lt=step).update(
            last_step=step
        )
        self.last_step = step
        return bool(updated)


def confirmed_device(user) -> TwoFactorDevice | None:
    return TwoFactorDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).first()
