"""Django's CSRF strings, drawn with one read of the system's random source.

Every staff page masks the CSRF secret afresh for its forms (the BREACH defence), and
Django draws each of a mask's 32 characters with a call of its own to ``os.urandom``
through ``secrets.choice``: 75 µs a page. The strings here are the same (32 characters,
each of the 62 as likely as any other: bytes of 248 and above are drawn again) from
one call. ``install`` puts it in place of Django's ``_get_new_csrf_string`` (``ready``)."""

import secrets

from django.middleware import csrf

_CHARS = csrf.CSRF_ALLOWED_CHARS
# The largest multiple of the alphabet's size under 256: bytes below it map evenly.
_FAIR = 256 - 256 % len(_CHARS)


def new_csrf_string() -> str:
    drawn: list[str] = []
    while len(drawn) < csrf.CSRF_SECRET_LENGTH:
        drawn += [_CHARS[b % len(_CHARS)] for b in secrets.token_bytes(40) if b < _FAIR]
    return "".join(drawn[: csrf.CSRF_SECRET_LENGTH])


def install() -> None:
    csrf._get_new_csrf_string = new_csrf_string
