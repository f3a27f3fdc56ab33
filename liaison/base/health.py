import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("health check: database unreachable")
        return "down"
    return "ok"


def _broker() -> str:
    if not settings.REDIS_URL:
        return "embedded"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
    except redis.RedisError:
        logger.exception("health check: broker unreachable")
        return "down"
    return "ok"


def healthz(request):
    """200 while the database answers; the broker's state is reported, a broker outage
    degrades background work but the site still serves."""
    state = {"database": _database(), "broker": _broker()}
    return JsonResponse(state, status=200 if state["database"] == "ok" else 503)
