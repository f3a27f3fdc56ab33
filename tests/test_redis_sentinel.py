"""Redis behind Sentinel (REDIS_SENTINELS, REDIS_SENTINEL_MASTER): a real Sentinel on a
free port monitors the test Redis, and the cache, a rate-limit counter and a Celery
worker's round trip all find the primary through it; the settings' clear errors."""

import contextlib
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis
from django.core.cache import caches
from redis.sentinel import Sentinel, SentinelConnectionPool

from liaison.base import ratelimit
from liaison.celery import app
from liaison.redis_target import redis_target
from tests.conftest import require
from tests.faults.stack import Redis, free_port, wait_for
from tests.test_resilience import _settings_error

MASTER = "liaison-test"
TIMEOUTS = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}


def _sentinel_command(config: str) -> list[str] | None:
    # Debian's redis-server package ships no redis-sentinel; the server runs as one.
    if path := shutil.which("redis-sentinel"):
        return [path, config]
    if path := shutil.which("redis-server"):
        return [path, config, "--sentinel"]
    return None


@contextlib.contextmanager
def _sentinel(folder: Path, host: str, port: int, *, down_after_ms: int, password: str = ""):
    """A Sentinel on a free port watching host:port as MASTER (quorum 1); yields its port
    once it names the primary."""
    sentinel_port = free_port()
    config = folder / "sentinel.conf"  # Sentinel rewrites its file: a copy of its own
    config.write_text(
        f"port {sentinel_port}\nbind 127.0.0.1\ndir {folder}\n"
        f"sentinel monitor {MASTER} {host} {port} 1\n"
        f"sentinel down-after-milliseconds {MASTER} {down_after_ms}\n"
        f"sentinel failover-timeout {MASTER} 10000\n"
        + (f"sentinel auth-pass {MASTER} {password}\n" if password else "")
    )
    command = _sentinel_command(str(config))
    require(command is not None, "needs redis-sentinel or redis-server (apt-get install redis)")
    log = (folder / "sentinel.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        sentinels = Sentinel([("127.0.0.1", sentinel_port)], sentinel_kwargs=TIMEOUTS)
        wait_for(lambda: sentinels.discover_master(MASTER), timeout=15, what="the Sentinel")
        yield sentinel_port
    finally:
        process.terminate()
        process.wait(10)
        log.close()


def _environment(monkeypatch, sentinel_port: int, db: str = "0", password: str = "") -> dict:
    env = {
        "REDIS_URL": "",  # empty is allowed with Sentinels (a compose file's default)
        "REDIS_SENTINELS": f"127.0.0.1:{sentinel_port}",
        "REDIS_SENTINEL_MASTER": MASTER,
        "REDIS_DB": db,
        "REDIS_PASSWORD": password,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def sentinel_env(redis_url, tmp_path, monkeypatch):
    """A Sentinel watching the test Redis; the environment names it instead of REDIS_URL
    (the database number moves to REDIS_DB)."""
    redis_at = urlsplit(redis_url)
    # Nothing is to fail over here: the test Redis is shared and has no replica.
    with _sentinel(
        tmp_path,
        redis_at.hostname,
        redis_at.port or 6379,
        down_after_ms=600_000,
        password=redis_at.password or "",
    ) as port:
        yield _environment(
            monkeypatch, port, redis_at.path.strip("/") or "0", redis_at.password or ""
        )


def _sentinel_cache(settings):
    settings.CACHES = {
        "default": redis_target().cache("liaison.base.cache.FailOpenRedisCache", **TIMEOUTS)
    }
    return caches["default"]


@pytest.mark.redis
@pytest.mark.django_db
def test_the_cache_and_the_rate_limits_find_the_primary_through_sentinel(
    sentinel_env, settings, redis_url
):
    cache = _sentinel_cache(settings)
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


@pytest.mark.faults
@pytest.mark.worker  # real processes on the real clock, as tests/test_faults.py
def test_after_a_failover_the_cache_finds_the_promoted_replica(tmp_path, settings, monkeypatch):
    """A primary and its replica of their own, a Sentinel over them; the primary stops and
    the Sentinel promotes the replica: the cache's next calls find the new primary (in
    between, a breaker window served from memory)."""
    require(bool(shutil.which("redis-server")), "needs redis-server (apt-get install redis)")
    settings.REDIS_RETRY_SECONDS = 0.2
    folders = [tmp_path / name for name in ("primary", "replica")]
    for folder in folders:
        folder.mkdir()
    primary, replica = (Redis(folder) for folder in folders)
    primary.start()
    replica.start()
    try:
        promoted = redis.Redis(port=replica.port, **TIMEOUTS)
        promoted.replicaof("127.0.0.1", primary.port)
        wait_for(lambda: promoted.info("replication")["master_link_status"] == "up",
                 timeout=15, what="replication")  # fmt: skip
        with _sentinel(tmp_path, "127.0.0.1", primary.port, down_after_ms=1000) as port:
            _environment(monkeypatch, port)
            cache = _sentinel_cache(settings)
            cache.set("before", 1, 60)
            assert redis.Redis(port=primary.port).exists(cache.make_key("before"))

            ask = redis.Redis(port=port, **TIMEOUTS)
            # The Sentinel learns of the replica from the primary's INFO (every 10 s).
            wait_for(
                lambda: [r for r in ask.sentinel_slaves(MASTER) if r["flags"] == "slave"],
                timeout=30,
                what="the Sentinel to know the replica",
            )
            primary.stop()
            stopped = time.monotonic()
            # Every call answers meanwhile (from memory while no primary answers), and
            # within the failover and a breaker window they reach the promoted replica.
            while not (
                cache.set("after", 2, 60) is None
                and not cache.degraded
                and promoted.get(cache.make_key("after")) == b"2"
            ):
                assert time.monotonic() - stopped < 30, "the cache never found the new primary"
                time.sleep(0.1)
            print(
                f"\ncache on the promoted replica {time.monotonic() - stopped:.1f} s after the stop"
            )
            assert ask.sentinel_get_master_addr_by_name(MASTER)[1] == replica.port
            assert cache.get("before") == 1  # replicated before the failover
    finally:
        primary.stop()
        replica.stop()


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
