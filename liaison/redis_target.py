"""Where Redis is, read once from the environment: one address (``REDIS_URL``, the
default), or a primary that Redis Sentinels name and follow through a failover
(``REDIS_SENTINELS`` and ``REDIS_SENTINEL_MASTER``, docs/scaling.md).

settings.py builds the cache and Celery's broker from the one ``RedisTarget`` read here,
and anything else that talks to Redis itself (``/healthz``) asks it for a client, so that
every part follows the same primary. A value that does not parse stops the start with
``ImproperlyConfigured`` naming the variable.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.core.exceptions import ImproperlyConfigured

from liaison.environment import env, env_list, env_number, env_required

SENTINEL_PORT = 26379
# Sentinel's own grammar for a master's name is loose; these are the names that survive a
# URL, a shell and a compose file unquoted.
_MASTER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
# Variables that mean something only with Sentinels: set alone, they are a mistake.
_SENTINEL_ONLY = ("REDIS_SENTINEL_MASTER", "REDIS_SENTINEL_PASSWORD", "REDIS_PASSWORD", "REDIS_DB")


@dataclass(frozen=True)
class RedisTarget:
    """One Redis URL, or Sentinels and the name of the primary they watch; false when
    neither is set (the embedded mode: no Redis)."""

    url: str = ""
    sentinels: tuple[tuple[str, int], ...] = ()
    master: str = ""
    password: str = ""  # the primary's (and its replicas') requirepass
    sentinel_password: str = ""  # the Sentinels' own requirepass
    db: int = 0

    def __bool__(self) -> bool:
        return bool(self.url or self.sentinels)

    def _sentinel_kwargs(self, timeouts: dict) -> dict:
        # What a question to a Sentinel is bounded by, and its password if it has one.
        kwargs = dict(timeouts)
        if self.sentinel_password:
            kwargs["password"] = self.sentinel_password
        return kwargs

    def client(self, **timeouts):
        """A ``redis.Redis`` on the primary, with these socket timeouts."""
        import redis
        from redis.sentinel import Sentinel

        if self.url:
            return redis.Redis.from_url(self.url, **timeouts)
        sentinel = Sentinel(list(self.sentinels), sentinel_kwargs=self._sentinel_kwargs(timeouts))
        return sentinel.master_for(
            self.master, db=self.db, password=self.password or None, **timeouts
        )

    def cache(self, backend: str, **timeouts) -> dict:
        """The ``CACHES`` entry: Django's ``RedisCache`` takes a URL, or (with Sentinels) a
        pool class that asks them for the primary (``SentinelMasterPool``)."""
        if self.url:
            return {"BACKEND": backend, "LOCATION": self.url, "OPTIONS": dict(timeouts)}
        options = {
            "pool_class": "liaison.redis_target.SentinelMasterPool",
            "sentinels": list(self.sentinels),
            "sentinel_kwargs": self._sentinel_kwargs(timeouts),
            "db": self.db,
            **timeouts,
        }
        if self.password:
            options["password"] = self.password
        # One LOCATION without a comma: RedisCache splits LOCATION into servers at commas.
        return {"BACKEND": backend, "LOCATION": self.master, "OPTIONS": options}

    @property
    def broker_url(self) -> str:
        """Celery's broker: the URL, or kombu's ``sentinel://`` list (one per Sentinel)."""
        if self.url:
            return self.url
        auth = f":{quote(self.password, safe='')}@" if self.password else ""
        return ";".join(
            f"sentinel://{auth}{_host(host)}:{port}/{self.db}" for host, port in self.sentinels
        )

    def broker_transport_options(self, **timeouts) -> dict:
        """What kombu needs beside ``broker_url``: the primary's name and how to ask the
        Sentinels (kombu sends the URL's password only to the primary)."""
        if self.url:
            return {}
        return {"master_name": self.master, "sentinel_kwargs": self._sentinel_kwargs(timeouts)}


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _sentinel(item: str) -> tuple[str, int]:
    host, colon, port = item.rpartition(":")
    if not colon or "]" in port:  # no port, or an IPv6 address in brackets without one
        host, port = item, str(SENTINEL_PORT)
    host = host.removeprefix("[").removesuffix("]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ImproperlyConfigured(
            f"REDIS_SENTINELS must be host:port pairs, comma-separated "
            f"(e.g. sentinel1:26379,sentinel2:26379): {item!r}"
        )
    return host, int(port)


def redis_target(*, production: bool = False) -> RedisTarget:
    """Read ``REDIS_URL``, or ``REDIS_SENTINELS`` and its companions, from the environment."""
    sentinels = tuple(_sentinel(item) for item in env_list("REDIS_SENTINELS"))
    if not sentinels:
        for name in _SENTINEL_ONLY:
            if env(name):
                raise ImproperlyConfigured(
                    f"{name} is set but REDIS_SENTINELS is not: it is used only with "
                    "Sentinels (a single Redis takes its password and database in REDIS_URL)."
                )
        url = env_required(
            "REDIS_URL",
            None if production else "",
            hint="a URL such as redis://host:6379/0 (or REDIS_SENTINELS and "
            "REDIS_SENTINEL_MASTER for Redis behind Sentinel)",
            production=production,
        )
        if url and not url.startswith(("redis://", "rediss://", "unix://")):
            raise ImproperlyConfigured(f"REDIS_URL must be a redis:// URL: {url!r}")
        return RedisTarget(url=url)
    if env("REDIS_URL"):
        raise ImproperlyConfigured(
            "REDIS_URL and REDIS_SENTINELS are both set: with Sentinels the primary is the one "
            "they name (REDIS_SENTINEL_MASTER); leave REDIS_URL unset or empty."
        )
    master = env("REDIS_SENTINEL_MASTER")
    if not master:
        raise ImproperlyConfigured(
            "REDIS_SENTINEL_MASTER must be set with REDIS_SENTINELS: the name the Sentinels "
            "monitor the primary under (`sentinel monitor <name> ...`), e.g. mymaster."
        )
    if not _MASTER_NAME.fullmatch(master):
        raise ImproperlyConfigured(
            f"REDIS_SENTINEL_MASTER must be a name of letters, digits, '.', '_' or '-': {master!r}"
        )
    db = env_number("REDIS_DB", "0")
    if db < 0:
        raise ImproperlyConfigured(f"REDIS_DB must be a database number, 0 or more: {db}")
    return RedisTarget(
        sentinels=sentinels,
        master=master,
        password=env("REDIS_PASSWORD"),
        sentinel_password=env("REDIS_SENTINEL_PASSWORD"),
        db=db,
    )


class SentinelMasterPool:
    """Django's ``RedisCache`` builds its pool as ``pool_class.from_url(LOCATION,
    **OPTIONS)``: with Sentinels, LOCATION is the primary's name and the pool asks them
    where it is, again after a failover (redis-py's ``SentinelConnectionPool``)."""

    @classmethod
    def from_url(cls, master: str, *, sentinels, sentinel_kwargs=None, **options):
        from redis.sentinel import Sentinel, SentinelConnectionPool

        sentinel = Sentinel(
            [tuple(address) for address in sentinels], sentinel_kwargs=sentinel_kwargs
        )
        return SentinelConnectionPool(master, sentinel, **options)
