"""Faults injected into a production-shaped stack of the suite's own (tests/faults/stack.py:
a PostgreSQL cluster, a Redis, gunicorn with two workers, a Celery worker, each on a free
port; never the shared services): Redis stopped under load, Redis hung, PostgreSQL stopped
in the middle of 6,000 deliveries, and a backup dumped, the database dropped, restored and
smoke-checked. The figures of each run go to test-artifacts/faults.json (docs/reliability.md).

Marked ``faults`` and ``worker``: real processes on the real clock, so the shifted-date runs
(``pytest --today``) leave it out. About two minutes, most of it the 45-second hang.
"""

import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS, require
from tests.faults.stack import build, pg_bin, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.worker]

PUBLIC = [
    "/",
    "/representatives/",
    "/stations/",
    "/cases/submit/",
    "/cases/outcomes/",
    "/cases/status/",
    "/api/v1/public/stations/",
]
FIGURES: dict = {}


@pytest.fixture(scope="module")
def stack():
    require(pg_bin() is not None, "needs Debian's PostgreSQL server binaries (postgresql)")
    require(shutil.which("redis-server") is not None, "needs redis-server")
    stack = build()
    yield stack
    stack.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "faults.json").write_text(json.dumps(FIGURES, indent=2, ensure_ascii=False))
    if not os.environ.get("KEEP_FAULT_STACK"):
        shutil.rmtree(stack.folder, ignore_errors=True)


class Load:
    """Visitors and staff reading pages in a loop from ``threads`` threads until stopped."""

    def __init__(self, stack, *, threads: int = 2):
        self.stack, self.results, self.stopping = stack, [], threading.Event()
        case = stack.seed["case"]
        self.paths = [(path, {}) for path in PUBLIC] + [
            ("/staff/", stack.staff_headers()),
            (f"/staff/cases/{case}/", stack.staff_headers()),
        ]
        self.threads = [threading.Thread(target=self._run, args=(i,)) for i in range(threads)]

    def _run(self, offset: int) -> None:
        i = offset
        while not self.stopping.is_set():
            path, headers = self.paths[i % len(self.paths)]
            i += 1
            at = time.monotonic()
            try:
                status, seconds, _, _ = self.stack.get(path, headers=headers)
            except OSError as error:
                status, seconds = f"error {error}", 0.0
            self.results.append((path, status, seconds, at))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join(60)

    def failures(self) -> list:
        return [r for r in self.results if not isinstance(r[1], int) or r[1] >= 500]

    def slowest(self) -> float:
        return max(seconds for _, _, seconds, _ in self.results)

    def slowest_few(self, since: float) -> list:
        worst = sorted(self.results, key=lambda r: -r[2])[:3]
        return [f"{path} {seconds:.2f} s at {at - since:+.1f} s" for path, _, seconds, at in worst]


def test_redis_stopped_for_10_s_under_load(stack):
    healthz = []
    with Load(stack) as load:
        time.sleep(2)
        stack.redis.stop()
        stopped = time.monotonic()
        while time.monotonic() - stopped < 10:
            status, _, body, _ = stack.get("/healthz")
            healthz.append((status, json.loads(body)))
            time.sleep(0.5)
        stack.redis.start()
        back = time.monotonic()
        recovered = wait_for(lambda: stack.get("/healthz")[0] == 200, timeout=10, step=0.1)
        time.sleep(2)
    during = [(status, body.get("cache"), body.get("status")) for status, body in healthz]
    FIGURES["redis_stopped"] = {
        "outage_seconds": round(back - stopped, 1),
        "requests": len(load.results),
        "5xx": len(load.failures()),
        "slowest_request_seconds": round(load.slowest(), 2),
        "slowest_requests": load.slowest_few(stopped),
        "healthz_during": sorted({f"{s} {c}" for s, c, _ in during}),
        "healthz_200_after_seconds": round(recovered, 2),
    }
    assert load.failures() == []
    assert all(status == 503 and cache == "down" for status, cache, _ in during), during
    assert all("cache down" in text for _, _, text in during)
    assert recovered <= 5


def test_redis_hung_for_45_s_no_request_waits_and_a_retried_move_is_made_once(stack):
    case = stack.seed["case"]
    events = (
        f"SELECT count(*) FROM suggestions_caseevent WHERE case_id = {case} AND kind = 'supervise'"  # noqa: S608
    )
    before = int(stack.postgres.psql(events, db=stack.postgres.DB))
    path = f"/api/v1/cases/{case}/supervise/"
    with Load(stack) as load:
        time.sleep(1)
        stack.redis.pause()
        hung = time.monotonic()
        time.sleep(3)
        first = stack.request(
            "POST", path, body={"note": "请加快办理"}, headers=stack.api_headers("hang-1")
        )
        retry = stack.request(
            "POST", path, body={"note": "请加快办理"}, headers=stack.api_headers("hang-1")
        )
        time.sleep(max(0.0, 45 - (time.monotonic() - hung)))
        stack.redis.resume()
        time.sleep(2)
    after = int(stack.postgres.psql(events, db=stack.postgres.DB))
    FIGURES["redis_hung"] = {
        "hang_seconds": 45,
        "requests": len(load.results),
        "5xx": len(load.failures()),
        "slowest_request_seconds": round(load.slowest(), 2),
        "slowest_requests": load.slowest_few(hung),
        "move_seconds": round(first[1], 2),
        "move_status": first[0],
        "retry_status": retry[0],
        "retry_replayed": retry[3].get("Idempotent-Replayed"),
        "moves_made": after - before,
    }
    assert load.failures() == []
    assert load.slowest() < 3
    assert first[0] == 200 and first[1] < 3
    assert retry[0] == 200 and retry[3].get("Idempotent-Replayed") == "true"
    assert after - before == 1


def test_postgres_stopped_for_10_s_a_chinese_503_then_recovery_and_delivery(stack):
    outbox = stack.seed["outbox"]
    assert stack.get("/")[0] == 200  # now in the public page cache
    stack.postgres.psql(
        "UPDATE liaison_notification SET next_attempt_at = now() WHERE subject_type = 'faults.batch'",
        db=stack.postgres.DB,
    )
    stack.manage(
        "shell", "-c",
        "from liaison.base.tasks import deliver_notifications as d; [d.delay() for _ in range(2)]",
    )  # fmt: skip
    # PostgreSQL stops as soon as delivery is under way: a fast machine sends the whole
    # outbox in a few seconds, and an outage after the last message tests nothing.
    wait_for(lambda: stack.sms_sent() > 50, timeout=30, step=0.01, what="delivery started")
    stack.postgres.stop()
    stopped, sent_at_stop = time.monotonic(), stack.sms_sent()
    assert sent_at_stop < outbox, "the outbox was delivered before the outage began"
    pages, cached = [], []
    while time.monotonic() - stopped < 10:
        # A query no visitor asked before: the page needs the database.
        status, seconds, body, headers = stack.get(f"/?during={len(pages)}")
        pages.append(
            (status, seconds, "系统暂时无法使用" in body.decode(), headers.get("Retry-After"))
        )
        # The page cached before the outage is still served whole, without the database.
        cached.append(stack.get("/")[0])
        time.sleep(0.5)
    health = stack.get("/healthz")
    sent_during = stack.sms_sent() - sent_at_stop
    stack.postgres.start()
    wait_for(stack.postgres.ready, timeout=30, step=0.02)
    accepting = time.monotonic()
    wait_for(lambda: stack.get("/?after=1")[0] == 200, timeout=10, step=0.05)
    page_back = time.monotonic() - accepting
    count_at_start = stack.sms_sent()
    wait_for(lambda: stack.sms_sent() > count_at_start, timeout=30, step=0.05)
    delivery_back = time.monotonic() - accepting
    wait_for(lambda: stack.sms_sent() >= outbox, timeout=120, step=0.5, what="all delivered")
    lines = [json.loads(line) for line in stack.sms_file.read_text().splitlines()]
    keys = [line["idempotency_key"] for line in lines]
    FIGURES["postgres_stopped"] = {
        "outage_seconds": 10,
        "pages_during": sorted({f"{s} chinese={c} retry-after={r}" for s, _, c, r in pages}),
        "slowest_page_during_seconds": round(max(p[1] for p in pages), 2),
        "cached_home_during": sorted(set(cached)),
        "healthz_during": health[0],
        "sent_during_outage": sent_during,
        "page_200_after_accepting_seconds": round(page_back, 2),
        "delivery_resumed_after_accepting_seconds": round(delivery_back, 2),
        "sms_delivered": len(lines),
        "sms_distinct_keys": len(set(keys)),
    }
    assert all(status == 503 and chinese and retry for status, _, chinese, retry in pages)
    assert set(cached) == {200}
    assert health[0] == 503
    assert page_back <= 2
    assert delivery_back <= 5
    assert len(set(keys)) == outbox  # every message, and (console channel) none twice
    assert len(keys) == outbox


def test_a_dump_restored_into_a_dropped_database_passes_the_smoke_checks(stack, tmp_path):
    before = _counts(stack)
    stack.stop_process("worker")
    output = stack.manage("backup", "--dir", str(tmp_path), "--keep", "0")
    dump = next(Path(line.split()[0]) for line in output.splitlines() if ".dump" in line)
    media = next(Path(line.split()[0]) for line in output.splitlines() if "media-" in line)
    stack.stop_process("web")
    db = stack.postgres.DB
    stack.postgres.psql(f'DROP DATABASE "{db}" WITH (FORCE)')
    stack.postgres.psql(f'CREATE DATABASE "{db}"')
    assert _counts(stack, missing_ok=True) is None  # really gone
    started = time.monotonic()
    stack.manage("restore", str(dump), "--media", str(media))
    restored_in = time.monotonic() - started
    assert "[ ]" not in stack.manage("showmigrations", "--plan")  # nothing left to apply
    stack.start_web()
    FIGURES["restore"] = {
        "dump_bytes": dump.stat().st_size,
        "restore_seconds": round(restored_in, 2),
        "rows": before,
    }
    assert _counts(stack) == before
    smoke(stack)


def _counts(stack, *, missing_ok: bool = False):
    tables = ["suggestions_case", "suggestions_caseevent", "liaison_notification", "auth_user"]
    try:
        return {
            table: int(stack.postgres.psql(f"SELECT count(*) FROM {table}", db=stack.postgres.DB))  # noqa: S608
            for table in tables
        }
    except Exception:
        if missing_ok:
            return None
        raise


def smoke(stack) -> None:
    """The smoke checks: what a visitor, a staff member and an API client first touch."""
    for path in PUBLIC:
        assert stack.get(path)[0] == 200, path
    case = stack.seed["case"]
    assert stack.get("/healthz")[0] == 200
    staff = stack.get(f"/staff/cases/{case}/", headers=stack.staff_headers())
    assert staff[0] == 200 and "请加快办理".encode() in staff[2]
    api = stack.get(f"/api/v1/cases/{case}/", headers=stack.api_headers())
    assert api[0] == 200 and json.loads(api[2])["id"] == case
    assert stack.get(f"/stations/{stack.seed['station']}/")[0] == 200
