"""The committee's quota table (/staff/duty/quotas/) for the demo county's 1,300
representatives with a year of duty records: its time (budget 300 ms, median) and its
number of queries (constant: the same with 10 representatives or 1,300).

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE liaison_duty_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_duty_bench \
        .venv/bin/python benchmarks/duty_quota_table.py
    psql -h 127.0.0.1 -U postgres -c "DROP DATABASE liaison_duty_bench"

Meant for an empty, throw-away database: it migrates, seeds the demo county
(``seed_demo``), then adds for every representative 8 fixed contacts met 2–4 times, and
4,000 confirmed activities with 3 participants each. The page is requested in-process
through Django's full stack, signed in as the demo's county committee (``committee``),
``--warmup`` then ``--runs`` times. Not a test: it prints the figures for
docs/benchmarks.md and exits 1 over budget.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

BUDGET_MS = 300


def seed_records(year: int) -> None:
    from django.contrib.auth import get_user_model

    from duty.models import (
        Activity,
        ActivityKind,
        ActivityParticipant,
        ActivityStatus,
        ContactMade,
        FixedContact,
        Organiser,
    )
    from duty.services.contacts import contact_years_rebuild
    from representatives.models import Representative
    from stations.models import StationMembership

    rng = random.Random(17)  # noqa: S311 - made-up data, not secrets
    actor = get_user_model().objects.get(username="committee")
    seats = dict(StationMembership.objects.values_list("representative_id", "station__region_id"))
    reps = list(Representative.objects.values_list("pk", "region_id"))
    # Constituents live where the representative's station is (a township or village).
    contacts = [
        FixedContact(representative_id=pk, name=f"群众{pk}-{i}", region_id=seats[pk])
        for pk, _region in reps
        if pk in seats
        for i in range(8)
    ]
    FixedContact.objects.bulk_create(contacts, batch_size=2000)
    made = [
        ContactMade(
            contact=c,
            representative_id=c.representative_id,
            date=dt.date(year, rng.randint(1, 10), rng.randint(1, 28)),
            recorded_by=actor,
        )
        for c in FixedContact.objects.all()
        for _ in range(rng.randint(2, 4))
    ]
    ContactMade.objects.bulk_create(made, batch_size=5000)
    contact_years_rebuild()
    kinds = ActivityKind.values
    activities = Activity.objects.bulk_create(
        [
            Activity(
                kind=rng.choice(kinds),
                title=f"活动{i}",
                date=dt.date(year, rng.randint(1, 10), rng.randint(1, 28)),
                place="县人大",
                organiser=Organiser.COMMITTEE,
                region_id="430121000000",
                status=ActivityStatus.CONFIRMED,
                people_reached=rng.randint(0, 40),
                recorded_by=actor,
            )
            for i in range(4000)
        ],
        batch_size=2000,
    )
    ids = [pk for pk, _ in reps]
    ActivityParticipant.objects.bulk_create(
        [
            ActivityParticipant(activity=a, representative_id=rep)
            for a in activities
            for rep in rng.sample(ids, 3)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from duty.models import Activity
    from representatives.models import Representative

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    os.environ.setdefault("DEMO_PASSWORD", "bench-pass-2026")
    if not Representative.objects.exists():
        call_command("seed_demo", verbosity=0)
    if not Activity.objects.filter(title__startswith="活动").exists():
        seed_records(timezone.localdate().year)
        # As autovacuum would after a bulk load: the planner needs the tables' statistics.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    client = Client()
    client.force_login(get_user_model().objects.get(username="committee"))
    url = "/staff/duty/quotas/"
    for _ in range(args.warmup):
        if client.get(url).status_code != 200:
            sys.exit("the quota table did not answer 200")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    times, cpu = [], []
    for _ in range(args.runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        if response.status_code != 200:
            sys.exit("the quota table did not answer 200")
    one = Representative.objects.order_by("pk").first().name
    with CaptureQueriesContext(connection) as few:
        client.get(url + "?q=" + one)
    median = statistics.median(times)
    # What the request costs without waiting for a busy machine's cores: this process's
    # CPU time plus the server's execution time of each query (EXPLAIN ANALYZE).
    server = 0.0
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            if query["sql"].lstrip().upper().startswith(("SELECT", "(SELECT")):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                server += cursor.fetchone()[0][0]["Execution Time"]
    load = os.getloadavg()[0]
    print(
        f"representatives: {Representative.objects.count()}, activities: "
        f"{Activity.objects.count()}, fixed contacts: "
        f"{Representative.objects.filter(fixed_contacts__isnull=False).distinct().count()}"
        " representatives with contacts"
    )
    print(
        "| page | median | min | max | CPU (median) + queries' execution | queries (all / one "
        "name) | load average |"
    )
    print(
        f"| {url} | {median:.0f} ms | {min(times):.0f} ms | {max(times):.0f} ms | "
        f"{statistics.median(cpu):.0f} + {server:.0f} ms | {len(queries)} / {len(few)} | "
        f"{load:.1f} on {os.cpu_count()} cores |"
    )
    sys.exit(0 if median <= BUDGET_MS and len(queries) == len(few) else 1)


if __name__ == "__main__":
    main()
