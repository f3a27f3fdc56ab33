"""Reading the environment for ``settings.py``: a variable set but empty, or one that does
not parse, stops the start with ``ImproperlyConfigured`` naming it, instead of a
library's error about something else (``UnknownSchemeError: Scheme '://'``)."""

import os

from django.core.exceptions import ImproperlyConfigured


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_required(
    name: str, default: str | None = None, *, hint: str = "", production: bool = False
) -> str:
    """A variable that may be unset (then ``default``) but never set empty: an empty value
    is a deployment mistake (a blank line in an .env file), not a request for the default.
    ``default=None`` means the variable is required."""
    value = os.environ.get(name)
    if value is None and default is not None:
        return default
    if value is None or not value.strip():
        state = "is set but empty" if value is not None else "must be set"
        if default is None:
            state += " when DJANGO_ENV=production" if production else ""
        elif value is not None:
            hint += f" (or unset it: {default or 'none'} is used then)"
        raise ImproperlyConfigured(f"{name} {state}: {hint}.")
    return value.strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    if value.lower() not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
        raise ImproperlyConfigured(f"{name} must be 1/0, true/false, yes/no or on/off: {value!r}")
    return value.lower() in {"1", "true", "yes", "on"}


def env_number(name: str, default: str, kind: type = int):
    """A whole number (or ``kind=float``); unset or empty takes the default, anything else
    that does not parse stops the start with the variable's name."""
    value = env(name) or default
    try:
        return kind(value)
    except ValueError:
        noun = "a whole number" if kind is int else "a number"
        raise ImproperlyConfigured(f"{name} must be {noun}: {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]
