"""Fixed-window rate limits on the Django cache (Redis in production, local memory embedded).

A limit is a number of hits per window for one key (an IP address, a phone, a
tracking code). Counting is one ``add`` and one ``incr`` on the cache, both
atomic in Redis, so parallel requests never exceed the limit together.

The one place that decides what the limits do while Redis is down (the cache fails open
to each process's memory, ``liaison/base/cache.py``): ``RATELIMIT_WHEN_CACHE_DOWN``
``"local"`` keeps counting in that memory (each web process then allows the limit on
its own), ``"closed"`` refuses with ``RateLimitUnavailable``, which the pages and the API
answer with a polite 503 (``liaison/base/errors.py``). The public API's throttle
(``PublicThrottle``) follows the same setting.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import ScopedRateThrottle


class RateLimitUnavailable(Exception):
    """The cache that counts is down and the limits fail closed: try again later."""


def _check_available() -> None:
    if getattr(cache, "degraded", False) and settings.RATELIMIT_WHEN_CACHE_DOWN == "closed":
        raise RateLimitUnavailable


@dataclass(frozen=True)
class Limit:
    name: str
    hits: int
    seconds: int


def key(limit: Limit, value: str) -> str:
    # Hashed: the cache never holds a phone number or a tracking code in clear.
    digest = hashlib.sha256(f"{limit.name}:{value}".encode()).hexdigest()[:32]
    return f"ratelimit:{limit.name}:{digest}"


def hit(limit: Limit, value: str) -> bool:
    """Count one hit; False once the window's allowance is spent."""
    _check_available()
    counter = key(limit, value)
    if cache.add(counter, 1, timeout=limit.seconds):
        count = 1
    else:
        try:
            count = cache.incr(counter)
        except ValueError:  # expired between add and incr
            cache.add(counter, 1, timeout=limit.seconds)
            count = 1
    _check_available()  # Redis may have failed during this very count
    return count <= limit.hits


def exceeded(limit: Limit, value: str) -> bool:
    """Whether the allowance is already spent, without counting a hit."""
    _check_available()
    return (cache.get(key(limit, value)) or 0) >= limit.hits


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or the header a trusted proxy sets
    (``CLIENT_IP_HEADER``, e.g. ``HTTP_X_REAL_IP``), since behind a proxy every request
    would otherwise share the proxy's address."""
    header = settings.CLIENT_IP_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


class PublicThrottle(ScopedRateThrottle):
    """DRF's scoped throttle on the same cache, with the same decision when it is down."""

    def allow_request(self, request, view):
        _check_available()
        return super().allow_request(request, view)

    def get_ident(self, request):
        # DRF's own trusts X-Forwarded-For, which any client can rotate; counted by the
        # same address as every other limit instead.
        return client_ip(request)
