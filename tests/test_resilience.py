"""Serving through faults, in one process: the cache fails open, the rate limits decide
explicitly, /healthz reports each part, the static 500/503 pages and the maintenance
switch, publishing after commit never fails a saved move, and clear setting errors.
(tests/test_faults.py runs the same faults against real servers of its own.)"""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import OperationalError
from django.test import override_settings

from liaison.base import ratelimit, tasks
from liaison.base.cache import FailOpenRedisCache
from liaison.base.tasks import publish

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
# A port nothing listens on: connections are refused at once.
DEAD_REDIS = "redis://127.0.0.1:9/0"


@pytest.fixture
def dead_cache(settings):
    """The default cache pointed at a Redis that is not there."""
    settings.CACHES = {
        "default": {
            "BACKEND": "liaison.base.cache.FailOpenRedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    caches["default"].local.clear()
    yield caches["default"]
    caches["default"].local.clear()


def test_the_cache_serves_from_memory_while_redis_is_unreachable(dead_cache):
    assert isinstance(dead_cache, FailOpenRedisCache)
    dead_cache.set("k", 1)
    assert dead_cache.get("k") == 1  # from this process's memory
    assert dead_cache.degraded
    assert not dead_cache.reachable()
    # While the breaker is open, calls do not even try Redis.
    started = time.monotonic()
    for _ in range(100):
        dead_cache.get("k")
    assert time.monotonic() - started < 0.5


def test_public_pages_answer_without_redis(client, dead_cache, settings):
    for path in ("/", "/representatives/", "/stations/", "/cases/submit/", "/cases/outcomes/"):
        assert client.get(path).status_code == 200, path
    assert client.get("/api/v1/public/stations/").status_code == 200


def test_rate_limits_count_locally_by_default(dead_cache, settings):
    limit = ratelimit.Limit("t", 2, 60)
    assert ratelimit.hit(limit, "1.2.3.4")
    assert ratelimit.hit(limit, "1.2.3.4")
    assert not ratelimit.hit(limit, "1.2.3.4")


def test_both_limits_in_one_round_trip_count_and_read_as_hit_and_exceeded(redis_url):
    counted, checked = ratelimit.Limit("t-ip", 2, 60), ratelimit.Limit("t-code", 1, 60)
    value = secrets.token_hex(8)
    assert ratelimit.hit_and_check(counted, value, checked, value) == (True, False)
    assert ratelimit.hit(checked, value)
    assert ratelimit.hit_and_check(counted, value, checked, value) == (True, True)
    assert ratelimit.hit_and_check(counted, value, checked, None) == (False, False)
    assert ratelimit.exceeded(counted, value)
    # The counter expires with its window, as hit's does.
    backend = caches["default"]
    key = backend.make_and_validate_key(ratelimit.key(counted, value))
    assert 0 < backend._cache.get_client(key).ttl(key) <= 60


def test_both_limits_count_locally_without_redis(dead_cache):
    counted, checked = ratelimit.Limit("t-ip", 1, 60), ratelimit.Limit("t-code", 1, 60)
    assert ratelimit.hit_and_check(counted, "1.2.3.4", checked, "2345-6789-AB") == (True, False)
    assert ratelimit.hit_and_check(counted, "1.2.3.4", checked, "2345-6789-AB") == (False, False)


def test_rate_limits_fail_closed_with_a_polite_503_when_asked(client, dead_cache, settings):
    settings.RATELIMIT_WHEN_CACHE_DOWN = "closed"
    response = client.post("/cases/status/", {"code": "ABCD-EFGH-JK", "check": "1234"})
    assert response.status_code == 503
    assert "系统暂时无法使用" in response.content.decode()
    assert response["Retry-After"]
    api = client.get("/api/v1/public/stations/")
    assert api.status_code == 503
    assert api.json()["detail"]


def test_healthz_reports_each_part(client, settings):
    body = client.get("/healthz").json()
    assert body["database"] == "ok"
    assert body["cache"] == ("ok" if settings.REDIS_URL else "local")
    assert body["status"] == "ok"


def test_healthz_is_503_with_cache_down(client, dead_cache):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "down"
    assert "cache down" in response.json()["status"]


def test_maintenance_switch(client, settings, tmp_path):
    settings.MAINTENANCE_FILE = tmp_path / "maintenance"
    assert client.get("/").status_code == 200
    switch = settings.MAINTENANCE_FILE
    switch.touch()
    response = client.get("/")
    assert response.status_code == 503
    assert "系统暂时无法使用" in response.content.decode()
    health = client.get("/healthz")
    assert health.status_code == 503 and "maintenance" in health.json()["status"]
    switch.unlink()
    assert client.get("/").status_code == 200


def test_a_database_outage_in_a_view_is_a_chinese_503(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr("django.db.backends.utils.CursorWrapper.execute", unreachable)
        response = client.get("/stations/")
        api = client.get("/api/v1/public/stations/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "系统暂时无法使用" in page and "<html" in page
    assert api.status_code == 503 and api.json()["detail"]


def test_an_error_is_the_static_chinese_500_page(rf):
    from liaison.base.errors import server_error

    try:
        raise ValueError("boom")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()
    try:
        raise OperationalError("the database restarts")
    except OperationalError:
        assert server_error(rf.get("/api/v1/cases/")).status_code == 503


def test_publishing_to_a_dead_broker_returns_at_once_and_leaves_work_to_the_sweeps(settings):
    from celery import shared_task

    from liaison.celery import app

    @shared_task(name="tests.noop")
    def noop():
        return None

    def fresh_pools():
        # The app keeps its connection and producer pools: build them for the broker now set.
        app._pool = None
        app.amqp._producer_pool = None

    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = DEAD_REDIS, False
    fresh_pools()
    try:
        started = time.monotonic()
        assert publish(noop) is False
        assert publish(noop) is False  # the breaker: no second wait
        assert time.monotonic() - started < 3
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous
        fresh_pools()
        tasks._breaker.down_until = 0.0  # the next test publishes to the real broker


def _settings_error(**environment) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "liaison.settings", **environment}
    env = {name: value for name, value in env.items() if value is not None}  # None: unset
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    return result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"DATABASE_URL": ""}, "DATABASE_URL is set but empty"),
        ({"DATABASE_URL": "mysq://x"}, "DATABASE_URL is not a database URL"),
        ({"REDIS_URL": " "}, "REDIS_URL is set but empty"),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL must be a redis:// URL"),
        ({"NOTIFY_BATCH_SIZE": "many"}, "NOTIFY_BATCH_SIZE must be a whole number"),
        ({"DEBUG": "maybe"}, "DEBUG must be 1/0"),
        ({"RATELIMIT_WHEN_CACHE_DOWN": "open"}, "RATELIMIT_WHEN_CACHE_DOWN must be local or"),
        ({"DJANGO_ENV": "prod"}, "DJANGO_ENV must be production or unset"),
        (
            {"DJANGO_ENV": "production", "SECRET_KEY": "s" * 50, "DATABASE_URL": ""},
            "DATABASE_URL is set but empty",
        ),
        (
            {
                "DJANGO_ENV": "production",
                "SECRET_KEY": "s" * 50,
                "DATABASE_URL": "sqlite://",
                "REDIS_URL": None,
            },
            "REDIS_URL must be set when DJANGO_ENV=production",
        ),
        (
            {
                "DJANGO_ENV": "production",
                "SECRET_KEY": "s" * 50,
                "DATABASE_URL": "sqlite://",
                "REDIS_URL": "redis://127.0.0.1:6379/0",
                "ALLOWED_HOSTS": "",
            },
            "ALLOWED_HOSTS must be set when DJANGO_ENV=production",
        ),
    ],
)
def test_a_missing_or_empty_setting_stops_the_start_with_its_name(environment, message):
    assert message in _settings_error(**environment)


def test_debug_is_off_unless_asked_for():
    script = (
        "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ENV")}
    env["DJANGO_SETTINGS_MODULE"] = "liaison.settings"
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == "False", out.stderr
    env["DEBUG"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == "True", out.stderr


@override_settings(DEBUG=False)
def test_static_files_are_served_without_debug(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)
