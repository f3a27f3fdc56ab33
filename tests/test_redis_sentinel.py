"""Redis behind Sentinel (REDIS_SENTINELS, REDIS_SENTINEL_MASTER): a real Sentinel on a
free port monitors the test Redis, and the cache, a rate-limit counter and a Celery
worker's round trip all find the primary through it; the settings' clear errors."""

import shutil
import socket
import subprocess
import time
from urllib.parse import urlsplit

import pytest
import redis
from django.core.cache import caches
from redis.sentinel import Sentinel, SentinelConnectionPool

from liaison.base import ratelimit
from liaison.celery import app
from liaison.redis_target import redis_target
from tests.conftest import require
from tests.test_resilience import _settings_error

MASTER = "liaison-test"
TIMEOUTS = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _sentinel_command(config: str) -> list[str] | None:
    # Debian's redis-server package ships no redis-sentinel; the server runs as one.
    if path := shutil.which("redis-sentinel"):
        return [path, config]
    if path := shutil.which("redis-server"):
        return [path, config, "--sentinel"]
    return None


@pytest.fixture
def sentinel_env(redis_url, tmp_path, monkeypatch):
    """A Sentinel watching the test Redis as MASTER; the environment names it instead of
    REDIS_URL (the database number moves to REDIS_DB)."""
    redis_at = urlsplit(redis_url)
    port = _free_port()
    config = tmp_path / "sentinel.conf"  # Sentinel rewrites its file: a copy of its own
    config.write_text(
        f"port {port}\nbind 127.0.0.1\ndir {tmp_path}\n"
        f"sentinel monitor {MASTER} {redis_at.hostname} {redis_at.port or 6379} 1\n"
        # Nothing is to fail over here: the test Redis is shared and has no replica.
        f"sentinel down-after-milliseconds {MASTER} 600000\n"
        + (f"sentinel auth-pass {MASTER} {redis_at.password}\n" if redis_at.password else "")
    )
    command = _sentinel_command(str(config))
    require(command is not None, "needs redis-sentinel or redis-server (apt-get install redis)")
    log = (tmp_path / "sentinel.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        sentinels = Sentinel([("127.0.0.1", port)], sentinel_kwargs=TIMEOUTS)
        deadline = time.monotonic() + 15
        while True:
            try:
                sentinels.discover_master(MASTER)
                break
            except redis.RedisError:
                assert process.poll() is None, (tmp_path / "sentinel.log").read_text()
                assert time.monotonic() < deadline, "the Sentinel did not name the primary"
                time.sleep(0.1)
        env = {
            "REDIS_URL": "",  # empty is allowed with Sentinels (a compose file's default)
            "REDIS_SENTINELS": f"127.0.0.1:{port}",
            "REDIS_SENTINEL_MASTER": MASTER,
            "REDIS_DB": redis_at.path.strip("/") or "0",
            "REDIS_PASSWORD": redis_at.password or "",
        }
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        yield env
    finally:
        process.terminate()
        process.wait(10)
        log.close()


@pytest.mark.redis
@pytest.mark.django_db
def test_the_cache_and_the_rate_limits_find_the_primary_through_sentinel(
    sentinel_env, settings, redis_url
):
    target = redis_target()
    settings.CACHES = {"default": target.cache("liaison.base.cache.FailOpenRedisCache", **TIMEOUTS)}
    cache = caches["default"]
    cache.set("sentinel-probe", {"answer": 42}, 30)
    assert cache.get("sentinel-probe") == {"answer": 42}
    assert not cache.degraded and cache.reachable()
    assert isinstance(cache._cache._get_connection_pool(write=True), SentinelConnectionPool)
    # In the primary's database that REDIS_DB names, where a single-URL process finds it.
    assert redis.Redis.from_url(redis_url).exists(cache.make_key("sentinel-probe"))

    limit = ratelimit.Limit(f"sentinel-{time.monotonic_ns()}", 2, 60)
    assert ratelimit.hit(limit, "192.0.2.1")
    assert ratelimit.hit(limit, "192.0.2.1")
    assert not ratelimit.hit(limit, "192.0.2.1")
    assert ratelimit.exceeded(limit, "192.0.2.1")
    assert not cache.degraded


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_reaches_the_broker_through_sentinel(sentinel_env, settings, client):
    settings.REDIS = redis_target()
    assert client.get("/healthz").json()["broker"] == "ok"


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_and_a_publisher_meet_through_sentinel(sentinel_env, postgres, tmp_path):
    """The worker reads the Sentinel settings from its environment; this process publishes
    the outbox's delivery after commit through the same Sentinel; the gateway gets each
    notice once."""
    from liaison.base.notifications.models import Notification, NotificationStatus
    from liaison.base.notifications.services import notifications_enqueue
    from tests.fakes import FakeSmsGateway
    from tests.test_celery_integration import Worker, _wait
    from tests.test_outbox import sms

    target = redis_target()
    previous = (app.conf.broker_url, app.conf.broker_transport_options)

    def fresh_pools():
        app._pool = None
        app.amqp._producer_pool = None

    app.conf.broker_url = target.broker_url
    app.conf.broker_transport_options = {
        **previous[1],
        **target.broker_transport_options(**TIMEOUTS),
    }
    fresh_pools()
    gateway = FakeSmsGateway().start()
    worker = Worker(gateway, tmp_path / "worker.log", **sentinel_env)
    try:
        worker.wait_ready()  # a control ping and its answer, through the Sentinel
        notifications_enqueue(notifications=[sms(n) for n in range(1, 4)])
        assert _wait(
            lambda: not Notification.objects.exclude(status=NotificationStatus.SENT).exists(),
            30,
        ), (tmp_path / "worker.log").read_text()[-3000:]
    finally:
        worker.kill()
        gateway.stop()
        app.conf.broker_url, app.conf.broker_transport_options = previous
        fresh_pools()
    assert sorted(message["to"] for message in gateway.delivered.values()) == [
        f"138{n:08d}" for n in range(1, 4)
    ]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"REDIS_SENTINELS": "127.0.0.1:26379", "REDIS_SENTINEL_MASTER": None},
            "REDIS_SENTINEL_MASTER must be set with REDIS_SENTINELS",
        ),
        (
            {"REDIS_SENTINELS": "127.0.0.1:port", "REDIS_SENTINEL_MASTER": "m"},
            "REDIS_SENTINELS must be host:port pairs",
        ),
        (
            {"REDIS_SENTINELS": "h:26379", "REDIS_SENTINEL_MASTER": "m", "REDIS_URL": "redis://x"},
            "REDIS_URL and REDIS_SENTINELS are both set",
        ),
        (
            {"REDIS_SENTINELS": "h:26379", "REDIS_SENTINEL_MASTER": "my master"},
            "REDIS_SENTINEL_MASTER must be a name",
        ),
        (
            {"REDIS_SENTINELS": "h", "REDIS_SENTINEL_MASTER": "m", "REDIS_DB": "one"},
            "REDIS_DB must be a whole number",
        ),
        ({"REDIS_SENTINEL_MASTER": "mymaster"}, "REDIS_SENTINEL_MASTER is set but REDIS_SENTINELS"),
        (
            {
                "DJANGO_ENV": "production",
                "SECRET_KEY": "s" * 50,
                "DATABASE_URL": "sqlite://",
                "REDIS_URL": None,
            },
            "or REDIS_SENTINELS and REDIS_SENTINEL_MASTER",
        ),
    ],
)
def test_a_bad_sentinel_setting_stops_the_start_with_its_name(environment, message):
    assert message in _settings_error(**{"REDIS_URL": None, **environment})
