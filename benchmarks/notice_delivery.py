"""Notice delivery rate of one Celery worker to a fake SMS gateway on 127.0.0.1.

    DATABASE_URL=postgres://... REDIS_URL=redis://... \
        .venv/bin/python benchmarks/notice_delivery.py --count 5000 --concurrency 1

Writes ``count`` SMS notifications to the outbox (rows tagged with this run's key
and deleted afterwards), starts ``celery -A liaison worker`` against the same
database and Redis, and times from the commit that enqueues the delivery tasks
to the last row marked sent. Not a test: it prints a figure for docs/benchmarks.md.
"""

import argparse
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--gateway-delay", type=float, default=0.0, help="seconds per SMS")
    args = parser.parse_args()
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL.")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from liaison.base.notifications.models import Channel, Notification, NotificationStatus
    from liaison.base.notifications.services import notifications_enqueue
    from tests.fakes import FakeSmsGateway

    call_command("migrate", verbosity=0)
    run = uuid.uuid4().hex[:8]
    gateway = FakeSmsGateway(delay=args.gateway_delay).start()
    env = {**os.environ, "SMS_BACKEND": "http", "SMS_GATEWAY_URL": gateway.url}
    worker = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [sys.executable, "-m", "celery", "-A", "liaison", "worker", "--concurrency",
         str(args.concurrency), "--without-gossip", "--without-mingle", "--without-heartbeat",
         "--loglevel", "WARNING", "-n", f"bench-{run}@%h"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    rows = Notification.objects.filter(dedupe_key__startswith=f"bench-{run}:")
    try:
        time.sleep(3)  # let the worker connect; its start-up drain finds nothing of ours
        notices = [
            Notification(
                kind="reception_notice", channel=Channel.SMS, subject_type="benchmark",
                subject_id=n, recipient_key=f"representative:{n}", address=f"139{n:08d}",
                title="接待日", body=f"benchmark {n}", due_date=timezone.localdate(),
                dedupe_key=f"bench-{run}:{n}",
            )
            for n in range(args.count)
        ]  # fmt: skip
        with transaction.atomic():
            notifications_enqueue(notifications=notices)
        start = time.perf_counter()
        while rows.exclude(status=NotificationStatus.SENT).exists():
            time.sleep(0.05)
        elapsed = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait(30)
        gateway.stop()
    sent = rows.count()
    rows.delete()
    print(
        f"{sent} notices, worker concurrency {args.concurrency}, batch "
        f"{settings.NOTIFY_BATCH_SIZE}: {elapsed:.2f} s, {sent / elapsed:.0f} notices/s; "
        f"gateway requests {len(gateway.requests)}, distinct {len(gateway.delivered)}"
    )


if __name__ == "__main__":
    main()
