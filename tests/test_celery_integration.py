"""A real Celery worker on the real Redis and PostgreSQL, delivering to a fake gateway."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from liaison.base.notifications.models import Notification, NotificationStatus
from liaison.celery import app
from representatives.models import Representative, RepresentativeKind
from stations.models import DutyAssignment, ReceptionDay, ReceptionStatus, Station
from stations.notices import reception_notices_send
from tests.factories import region
from tests.fakes import FakeSmsGateway

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.worker]

ROOT = Path(__file__).resolve().parent.parent
DAYS, PER_DAY = 100, 10  # 1,000 notices
DATE = dt.date(2027, 3, 15)


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, gateway: FakeSmsGateway, log: Path, **extra_env: str):
        self.name = f"test-{uuid.uuid4().hex[:8]}@%h"
        env = {
            **os.environ,
            # The test database pytest-django created, where this test commits its rows.
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "SMS_BACKEND": "http",
            "SMS_GATEWAY_URL": gateway.url,
            "NOTIFY_BATCH_SIZE": "100",
            "CONN_MAX_AGE": "0",
            # What a killed worker was sending is tried again a second later, not in 5 min.
            "NOTIFY_LEASE_SECONDS": "1",
            **extra_env,
        }
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "liaison", "worker", "--concurrency", "2",
             "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel", "WARNING", "-n", self.name],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "worker exited; see its log"
            if app.control.ping(
                destination=[self.name.replace("%h", os.uname().nodename)], timeout=0.5
            ):
                return
        raise AssertionError("worker did not answer")

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.log.close()


def _plan_thousand_notices() -> None:
    township = region("430121001000", "星沙街道")
    Station.objects.bulk_create(
        Station(name=f"第{n}站", region=township, address="便民服务中心") for n in range(DAYS)
    )
    stations = list(Station.objects.order_by("pk"))
    Representative.objects.bulk_create(
        Representative(
            name=f"代表{n}", level="township", term=18, electoral_district="第1选区",
            region=township, kind=RepresentativeKind.GRASSROOTS, private_phone=f"139{n:08d}",
        )
        for n in range(DAYS * PER_DAY)
    )  # fmt: skip
    reps = list(Representative.objects.order_by("pk"))
    now = dt.datetime(2027, 3, 1, tzinfo=dt.UTC)
    ReceptionDay.objects.bulk_create(
        ReceptionDay(
            station=s, date=DATE, status=ReceptionStatus.PUBLISHED,
            notice_date=dt.date(2027, 3, 8), published_at=now,
        )
        for s in stations
    )  # fmt: skip
    days = list(ReceptionDay.objects.order_by("pk"))
    DutyAssignment.objects.bulk_create(
        DutyAssignment(reception_day=days[n // PER_DAY], representative=rep, date=DATE,
                       kind=rep.kind)
        for n, rep in enumerate(reps)
    )  # fmt: skip


def _wait(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_sigkilled_worker_restarts_and_every_notice_arrives_exactly_once(
    postgres, redis_url, tmp_path
):
    """The sweep enqueues 1,000 notices after commit; the worker is SIGKILLed mid-batch
    and restarted; the gateway receives each notice exactly once."""
    gateway = FakeSmsGateway(delay=0.004).start()
    _plan_thousand_notices()
    worker = Worker(gateway, tmp_path / "worker.log")
    try:
        worker.wait_ready()
        assert reception_notices_send(today=dt.date(2027, 3, 8)) == DAYS
        assert Notification.objects.count() == DAYS * PER_DAY

        assert _wait(lambda: gateway.delivered_count() >= 250, 60), "worker delivered nothing"
        worker.kill()
        at_kill = gateway.delivered_count()
        assert at_kill < DAYS * PER_DAY, "the batch finished before the kill"
        pending = Notification.objects.filter(status=NotificationStatus.PENDING).count()
        assert pending > 0

        worker = Worker(gateway, tmp_path / "worker.log")
        worker.wait_ready()
        assert _wait(
            lambda: not Notification.objects.exclude(status=NotificationStatus.SENT).exists(),
            90,
        ), (tmp_path / "worker.log").read_text()[-3000:]
    finally:
        worker.kill()
        gateway.stop()

    keys = {str(k) for k in Notification.objects.values_list("idempotency_key", flat=True)}
    assert set(gateway.delivered) == keys
    phones = [message["to"] for message in gateway.delivered.values()]
    assert len(phones) == len(set(phones)) == DAYS * PER_DAY
    # Only what was in flight at the kill can reach the gateway a second time.
    assert len(gateway.requests) - len(gateway.delivered) <= 2
    print(f"\nkilled after {at_kill} deliveries; {len(gateway.requests)} requests in all")


@pytest.mark.django_db(transaction=True)
def test_a_message_that_kills_every_worker_fails_and_the_rest_arrive_once(
    postgres, redis_url, tmp_path
):
    """The gateway SIGKILLs the worker whenever it is handed one message: the worker is
    restarted each time, the other messages all arrive exactly once, and after its three
    attempts the killer message is marked failed instead of killing workers forever."""
    from liaison.base.notifications.services import notifications_enqueue
    from tests.test_outbox import sms

    gateway = FakeSmsGateway(delay=0.01).start()
    gateway.crash_on = "13800000007"
    workers: list[Worker] = []
    gateway.on_crash = lambda: os.killpg(workers[-1].process.pid, signal.SIGKILL)
    log = tmp_path / "worker.log"
    workers.append(Worker(gateway, log, NOTIFY_MAX_ATTEMPTS="3"))
    poison = Notification.objects.none()
    try:
        workers[-1].wait_ready()
        notifications_enqueue(notifications=[sms(n) for n in range(1, 21)])
        poison = Notification.objects.filter(address="13800000007")

        def settled() -> bool:
            if workers[-1].process.poll() is not None:
                workers[-1].kill()
                # No wait for its answer: a starting worker takes the killer message again
                # at once, and may be dead before it would answer.
                workers.append(Worker(gateway, log, NOTIFY_MAX_ATTEMPTS="3"))
            return not Notification.objects.filter(status=NotificationStatus.PENDING).exists()

        assert _wait(settled, 120), log.read_text()[-3000:]
    finally:
        workers[-1].kill()
        gateway.stop()

    killer = poison.get()
    assert (killer.status, killer.attempts) == (NotificationStatus.FAILED, 3)
    assert len(workers) == 4  # the first worker and one restart after each death
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 19
    to_killer = [r for r in gateway.requests if r["to"] == "13800000007"]
    assert len(to_killer) == 3
    sent_keys = Notification.objects.filter(status=NotificationStatus.SENT).values_list(
        "idempotency_key", flat=True
    )
    assert set(gateway.delivered) == {str(key) for key in sent_keys}
