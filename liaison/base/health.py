"""``/healthz``: the database, the cache and the broker, each on its own, and whether the
site can serve.

503 when a visitor would not be served as they should: the database is unreachable, the
cache is down (pages still answer, computed without it, but slower and with rate limits
per process: the compose healthcheck and a load balancer should know), or the
maintenance switch is on. A broker outage alone only delays background work (the outbox's
per-minute delivery catches up), so it is reported and the answer stays 200. Each probe
is bounded by its timeout (``DATABASE_CONNECT_TIMEOUT``, ``REDIS_*_TIMEOUT``).
"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from liaison.base.errors import maintenance_on

logger = logging.getLogger(__name__)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("health check: database unreachable")
        return "down"
    return "ok"


def _cache() -> str:
    reachable = getattr(cache, "reachable", None)
    if reachable is None:
        return "local"  # the embedded mode's in-memory cache: nothing to reach
    if not reachable():
        logger.warning("health check: cache down")
        return "down"
    return "ok"


def _broker() -> str:
    if not settings.REDIS:
        return "embedded"
    import redis

    try:
        # Through the Sentinels when they are configured: the broker is their primary.
        settings.REDIS.client(
            socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
            socket_connect_timeout=settings.REDIS_CONNECT_TIMEOUT,
        ).ping()
    except (redis.RedisError, OSError):
        logger.warning("health check: broker unreachable")
        return "down"
    return "ok"


@never_cache
def healthz(request):
    state = {"database": _database(), "cache": _cache(), "broker": _broker()}
    problems = [f"{part} down" for part in ("database", "cache") if state[part] == "down"]
    if maintenance_on():
        problems.append("maintenance")
    if state["broker"] == "down":
        # Reported, not fatal: background work waits, pages are served.
        state["degraded"] = ["broker down"]
    state["status"] = "; ".join(problems) if problems else "ok"
    return JsonResponse(state, status=503 if problems else 200)
