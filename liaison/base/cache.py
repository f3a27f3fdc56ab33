"""The cache fails open: Redis when it answers, this process's memory when it does not.

Redis is the cache and the broker. When it stops or hangs, every cache call would raise
(or wait) and every page that reads the cache would answer 500. ``FailOpenRedisCache``
bounds each call by the socket timeouts (``REDIS_CONNECT_TIMEOUT``,
``REDIS_SOCKET_TIMEOUT``); a call that fails switches this process to a local in-memory
cache for ``REDIS_RETRY_SECONDS``, so that only one request in that window pays the
timeout, and cached reads are computed again and kept locally. Nothing is lost that
matters: the cache only holds what can be computed again, and the rate limits say what
they do without it in ``liaison/base/ratelimit.py``.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

# What a stopped, hung or refusing Redis raises through redis-py.
try:
    from redis.exceptions import RedisError as _RedisError
except ImportError:  # pragma: no cover - redis is a dependency
    _RedisError = OSError
FAILURES = (_RedisError, OSError)


class _Breaker:
    """Per process: after a failure, Redis is left alone for ``REDIS_RETRY_SECONDS``."""

    def __init__(self):
        self._lock = threading.Lock()
        self.down_until = 0.0
        self.failures = 0

    @property
    def open(self) -> bool:
        return time.monotonic() < self.down_until

    def failed(self, error: Exception, what: str) -> None:
        with self._lock:
            first = self.failures == 0
            self.failures += 1
            self.down_until = time.monotonic() + settings.REDIS_RETRY_SECONDS
        if first:
            logger.warning("cache: Redis unreachable (%s: %s); serving from memory", what, error)

    def succeeded(self) -> None:
        if self.failures:
            with self._lock:
                count, self.failures = self.failures, 0
            logger.warning("cache: Redis answers again after %s failed calls", count)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django builds a ``redis.Redis`` for every cache call, and each builds its table of
    response callbacks (about 0.4 ms): one client per connection pool is enough, since a
    client only borrows connections from its pool (thread-safe)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache, with a local in-memory cache while Redis fails."""

    # The methods Django's cache API offers; each tries Redis, then the local cache.
    _METHODS = (
        "add",
        "get",
        "set",
        "touch",
        "delete",
        "get_many",
        "has_key",
        "incr",
        "decr",
        "set_many",
        "delete_many",
        "clear",
        "get_or_set",
    )

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self.breaker = _Breaker()
        self.local = LocMemCache(f"failopen-{id(self)}", {"OPTIONS": {"MAX_ENTRIES": 5000}})

    @property
    def degraded(self) -> bool:
        """True while this process serves from memory (Redis failed a moment ago)."""
        return self.breaker.open

    def reachable(self) -> bool:
        """Ask Redis itself, whatever the breaker says (``/healthz``)."""
        try:
            self._cache.get_client(write=False).ping()
        except FAILURES:
            return False
        return True

    def __getattribute__(self, name):
        if name in type(self)._METHODS:
            return self._guarded(name)
        return super().__getattribute__(name)

    def _guarded(self, name):
        redis_method = getattr(super(), name)
        local_method = getattr(object.__getattribute__(self, "local"), name)
        breaker = object.__getattribute__(self, "breaker")

        def call(*args, **kwargs):
            if breaker.open:
                return local_method(*args, **kwargs)
            try:
                result = redis_method(*args, **kwargs)
            except FAILURES as error:
                breaker.failed(error, name)
                return local_method(*args, **kwargs)
            breaker.succeeded()
            return result

        return call
