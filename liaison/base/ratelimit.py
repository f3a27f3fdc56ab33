"""Fixed-window rate limits on the Django cache (Redis in production, local memory embedded).

A limit is a number of hits per window for one key (an IP address, a phone, a
tracking code). Counting is one ``add`` and one ``incr`` on the cache, both
atomic in Redis, so parallel requests never exceed the limit together.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    hits: int
    seconds: int


def _key(limit: Limit, value: str) -> str:
    # Hashed: the cache never holds a phone number or a tracking code in clear.
    digest = hashlib.sha256(f"{limit.name}:{value}".encode()).hexdigest()[:32]
    return f"ratelimit:{limit.name}:{digest}"


def hit(limit: Limit, value: str) -> bool:
    """Count one hit; False once the window's allowance is spent."""
    key = _key(limit, value)
    if cache.add(key, 1, timeout=limit.seconds):
        return limit.hits >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=limit.seconds)
        count = 1
    return count <= limit.hits


def exceeded(limit: Limit, value: str) -> bool:
    """Whether the allowance is already spent, without counting a hit."""
    return (cache.get(_key(limit, value)) or 0) >= limit.hits


def client_ip(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or the header a trusted proxy sets
    (``CLIENT_IP_HEADER``, e.g. ``HTTP_X_REAL_IP``), since behind a proxy every request
    would otherwise share the proxy's address."""
    header = settings.CLIENT_IP_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")
