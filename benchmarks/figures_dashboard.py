"""The county dashboard (/staff/figures/) at 1,000,000 cases (budget 300 ms, p95 of 30),
and the memory of a 100,000-row case ledger export (budget 200 MB peak).

    .venv/bin/python benchmarks/figures_dashboard.py

It creates a throw-away database (``liaison_figures_bench`` on the PostgreSQL of
``BENCH_ADMIN_URL``, default postgres://postgres@127.0.0.1:5432/postgres), migrates,
and writes 1,000,000 visits and 1,000,000 cases over 2025–2026 with two
``INSERT … SELECT generate_series`` statements (the ORM would take an hour): 20 counties
of 10 stations and 10 units each, one county holding 100,000 cases, in every step
(received, registered, handling, supervising, replied, archived and rated). It then
rebuilds the roll-ups (timed), ANALYZEs, and requests the dashboard of that county for
the year 2026, signed in as its committee, in-process through Django's full stack,
``--warmup`` then ``--runs`` times. The ledger of that county's 100,000 cases is written
in a fresh process, whose peak resident memory and tracemalloc peak are reported. The
database is dropped at the end (``--keep`` keeps it). Not a test: it prints the figures
for docs/benchmarks.md and exits 1 over budget.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

BUDGET_MS = 300
BUDGET_MB = 200
NAME = "liaison_figures_bench"
ADMIN = os.environ.get("BENCH_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
COUNTY = "430101000000"
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # the tracking code's 31 letters


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN, autocommit=True) as connection:
        connection.execute(sql)


def tracking_code_sql(column: str) -> str:
    """A unique tracking code (XXXX-XXXX-XX) spelled from the number, in SQL."""
    letters = [
        f"substr('{ALPHABET}', (({column} / {31**k}::bigint) %% 31)::int + 1, 1)" for k in range(10)
    ]
    return " || ".join([*letters[:4], "'-'", *letters[4:8], "'-'", *letters[8:]])


def seed(cases: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from liaison.base.models import CommitteeMembership, Region
    from stations.models import Station
    from suggestions.models import CaseCategory, HandlingUnit

    Region.objects.bulk_create(
        [
            Region(code="430000000000", name="湖南省", level="province"),
            Region(code="430100000000", name="长沙市", level="city", parent_id="430000000000"),
        ]
    )
    counties = [f"4301{n:02d}000000" for n in range(1, 21)]
    Region.objects.bulk_create(
        [
            Region(code=c, name=f"县{c[4:6]}", level="county", parent_id="430100000000")
            for c in counties
        ]
    )
    townships = [f"{c[:6]}{t:03d}000" for c in counties for t in range(1, 6)]
    Region.objects.bulk_create(
        [
            Region(code=t, name=f"镇{t[4:9]}", level="township", parent_id=t[:6] + "000000")
            for t in townships
        ]
    )
    stations = Station.objects.bulk_create(
        [
            Station(
                name=f"联络站{c[4:6]}-{s}",
                region_id=f"{c[:6]}{s % 5 + 1:03d}000",
                address="便民服务中心",
            )
            for c in counties
            for s in range(10)
        ]
    )
    units = HandlingUnit.objects.bulk_create(
        [HandlingUnit(name=f"{c[4:6]}县第{u}局", region_id=c) for c in counties for u in range(10)]
    )
    categories = list(CaseCategory.objects.values_list("pk", flat=True)) or [
        CaseCategory.objects.create(code="other", name="其他").pk
    ]
    user = get_user_model().objects.create_user("bench-committee", password="bench-pw-12345")  # noqa: S106
    CommitteeMembership.objects.create(user=user, region_id=COUNTY)
    station_ids = [s.pk for s in stations]  # the first 10 are the county's
    unit_ids = [u.pk for u in units]
    with connection.cursor() as cursor:
        # A tenth of the cases at the county's 10 stations, the rest over the other 190.
        cursor.execute(
            """
            CREATE TEMP TABLE bench_station AS
            SELECT ord - 1 AS idx, id, region_id FROM unnest(%s::int[]) WITH ORDINALITY AS s(id, ord)
            JOIN stations_station USING (id)
            """,
            [station_ids],
        )
        cursor.execute(
            f"""
            INSERT INTO stations_visit (station_id, region_id, channel, visited_at,
                constituent_name, constituent_phone, constituent_address,
                constituent_id_number, people_count, created_at)
            SELECT s.id, s.region_id, 'household',
                timestamptz '2025-01-01 09:00+08' + (g % 700) * interval '1 day'
                    + (g % 8) * interval '1 hour',
                '群众' || g, '', '', '', 1 + g % 3, now()
            FROM generate_series(1, {cases}) g
            JOIN bench_station s ON s.idx = CASE WHEN g % 10 = 0 THEN (g / 10) % 10
                                                 ELSE 10 + g % 190 END
            """  # noqa: S608 - the script's own numbers, no input
        )
        cursor.execute(
            f"""
            INSERT INTO suggestions_case (tracking_code, visit_id, region_id, station_id,
                title, description, category_id, authority, disposition, step, deadline,
                deadline_explanation, escalation_level, lead_unit_id, handler, plan,
                extension_reason, result, reply, satisfaction, replied_on_time,
                public_summary, is_key, published, reopen_count, received_at,
                registered_at, replied_at, closed_at, updated_at, public_reply, conclusion)
            SELECT {tracking_code_sql("v.id")}, v.id, v.region_id, v.station_id,
                '群众意见' || v.id, '内容',
                CASE WHEN k = 0 THEN NULL ELSE (%(categories)s::int[])[1 + v.id %% %(ncat)s] END,
                CASE WHEN k = 0 THEN '' ELSE 'township' END,
                CASE WHEN k < 2 THEN '' ELSE 'letter' END,
                CASE WHEN k = 0 THEN 'received' WHEN k = 1 THEN 'registered'
                     WHEN k < 4 THEN 'handling' WHEN k = 4 THEN 'supervising'
                     WHEN k < 10 THEN 'replied' ELSE 'archived' END,
                CASE WHEN k BETWEEN 2 AND 4 THEN (v.visited_at + interval '30 days')::date END,
                '{{}}', CASE WHEN k = 4 THEN 1 ELSE 0 END,
                CASE WHEN k < 2 THEN NULL
                     ELSE (%(units)s::int[])[1 + ((v.region_id::bigint / 1000000) %% 100 - 1) * 10
                                                 + v.id %% 10] END,
                '', '', '',
                CASE WHEN k < 5 THEN '' WHEN v.id %% 7 = 0 THEN 'cannot' ELSE 'solved' END,
                CASE WHEN k < 5 THEN '' ELSE '已答复' END,
                CASE WHEN k < 10 THEN '' WHEN v.id %% 6 = 0 THEN 'unsatisfied'
                     WHEN v.id %% 6 = 1 THEN 'basic' ELSE 'satisfied' END,
                CASE WHEN k < 5 THEN NULL ELSE v.id %% 5 <> 0 END,
                '', false, false, 0, v.visited_at,
                CASE WHEN k > 0 THEN v.visited_at + interval '1 day' END,
                CASE WHEN k >= 5 THEN v.visited_at + interval '20 days' END,
                CASE WHEN k >= 10 THEN v.visited_at + interval '25 days' END,
                now(), CASE WHEN k < 5 THEN '' ELSE '已答复来访群众' END, ''
            FROM (SELECT *, id %% 20 AS k FROM stations_visit) v
            """,  # noqa: S608 - the script's own numbers, no input
            {"categories": categories, "ncat": len(categories), "units": unit_ids},
        )


def build(cases: int) -> None:
    import django
    from django.core.management import call_command

    django.setup()
    from django.db import connection

    from figures import rollups

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    seed(cases)
    print(f"seeded {cases:,} cases in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    counts = rollups.rebuild()
    print(f"roll-ups rebuilt in {time.perf_counter() - started:.1f} s: {counts}")
    with connection.cursor() as cursor:
        # What autovacuum does after a bulk load: statistics, and the visibility map that
        # lets the open cases' partial index answer its counts alone.
        cursor.execute("VACUUM ANALYZE")


def time_dashboard(warmup: int, runs: int) -> float:
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(username="bench-committee"))
    params = {"period": "year", "year": 2026}
    for _ in range(warmup):
        client.get("/staff/figures/", params)
    timings, cpu = [], []
    for _ in range(runs):
        reset_queries()
        started, process = time.perf_counter(), time.process_time()
        response = client.get("/staff/figures/", params)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - process) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"the dashboard answered {response.status_code}")
    with CaptureQueriesContext(connection) as queries:
        client.get("/staff/figures/", params)
    from figures import selectors
    from figures.periods import year
    from figures.scopes import place_for

    user = get_user_model().objects.get(username="bench-committee")
    collected = selectors.totals(place_for(user, {}), year(2026))["collected"]
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    print(
        f"county dashboard, year 2026 ({collected:,} cases of the county's 100,000): "
        f"median {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, "
        f"max {timings[-1]:.0f} ms over {runs} runs; {len(queries)} queries taking "
        f"{sum(float(q['time']) for q in queries.captured_queries) * 1000:.0f} ms; "
        f"this process's CPU {statistics.median(cpu):.0f} ms (median); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    return p95


def ledger_memory() -> None:
    """In a fresh process: write the county's case ledger, report rows and peak memory."""
    import resource
    import tracemalloc

    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from figures import ledgers
    from figures.periods import everything
    from figures.scopes import place_for

    user = get_user_model().objects.get(username="bench-committee")
    place = place_for(user, {})
    rows = ledgers.rows_of("cases", user, place, everything())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    started = time.perf_counter()
    with ledgers.write("cases", rows) as out:
        size = out.seek(0, 2)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    count = rows.count()
    print(
        f"case ledger: {count:,} rows, {size / 1e6:.1f} MB file in {seconds:.0f} s; "
        f"peak RSS {rss:.0f} MB (before writing {before:.0f} MB), "
        f"tracemalloc peak {peak / 1e6:.0f} MB"
    )
    sys.exit(1 if rss > BUDGET_MB else 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="time the database a --keep run left (no seeding)"
    )
    parser.add_argument("--ledger-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = ADMIN.rsplit("/", 1)[0] + "/" + NAME
    os.environ.pop("REDIS_URL", None)
    os.environ["DATABASE_STATEMENT_TIMEOUT"] = "0"
    if args.ledger_only:
        ledger_memory()
    if not args.reuse:
        admin_sql(f"DROP DATABASE IF EXISTS {NAME}")
        admin_sql(f"CREATE DATABASE {NAME}")
    try:
        if args.reuse:
            import django

            django.setup()
        else:
            build(args.cases)
        p95 = time_dashboard(args.warmup, args.runs)
        from django.db import connections

        connections.close_all()
        ledger = subprocess.run(  # noqa: S603 - this same script
            [sys.executable, __file__, "--ledger-only"], env=os.environ, check=False
        )
    finally:
        if not (args.keep or args.reuse):
            from django.db import connections

            connections.close_all()
            admin_sql(f"DROP DATABASE IF EXISTS {NAME}")
    return 0 if p95 <= BUDGET_MS and ledger.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
