"""Fixed-window rate limits on the Django cache (Redis in production, local memory embedded).

A limit is a number of hits per window for one key (an IP address, a phone, a
tracking code). Counting is one ``add`` and one ``incr`` on the cache, both
atomic in Redis, so parallel requests never exceed the limit together; a page that
counts one limit and reads another on every request (the status lookup) does both in
one round trip to Redis (``hit_and_check``), on the same keys.

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
from django.core.cache import cache, caches
from rest_framework.throttling import ScopedRateThrottle

from liaison.base.cache import FAILURES, FailOpenRedisCache


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


def hit_and_check(
    counted: Limit, value: str, checked: Limit, other: str | None
) -> tuple[bool, bool]:
    """``hit(counted, value)`` and ``exceeded(checked, other)`` (False when ``other`` is
    None) in one round trip to Redis instead of four: a page that always asks both, such
    as the status lookup, pays one wait. The count is as atomic as ``hit``'s: the key is
    created with its window and incremented in one MULTI/EXEC."""
    _check_available()
    backend = _answering_redis()
    if backend is None:
        return hit(counted, value), other is not None and exceeded(checked, other)
    counter = backend.make_and_validate_key(key(counted, value))
    pipe = backend._cache.get_client(counter, write=True).pipeline(transaction=True)
    pipe.set(counter, 0, ex=counted.seconds, nx=True).incr(counter)
    if other is not None:
        pipe.get(backend.make_and_validate_key(key(checked, other)))
    try:
        replies = pipe.execute()
    except FAILURES as error:
        # The same fallback as any other cache call: this process's memory from now on.
        backend.breaker.failed(error, "ratelimit")
        return hit(counted, value), other is not None and exceeded(checked, other)
    backend.breaker.succeeded()
    spent = other is not None and int(replies[2] or 0) >= checked.hits
    return replies[1] <= counted.hits, spent


def _answering_redis():
    """The Redis client behind the default cache, unless the cache is another kind or
    serves from memory for now."""
    backend = caches["default"]
    if not isinstance(backend, FailOpenRedisCache) or backend.degraded:
        return None
    return backend


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
