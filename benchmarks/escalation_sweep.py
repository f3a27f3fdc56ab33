"""The escalation sweep over a large number of open cases, on PostgreSQL.

    createdb -h 127.0.0.1 -U postgres liaison_bench
    DATABASE_STATEMENT_TIMEOUT=0 DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_bench \
        .venv/bin/python benchmarks/escalation_sweep.py --cases 1000000 --overdue 0.01
    dropdb -h 127.0.0.1 -U postgres liaison_bench

Meant for an empty, throw-away database: it migrates, then bulk-generates a county's
worth of regions, stations, units and staff, and ``--cases`` open cases in handling
or supervising with one INSERT … SELECT over ``generate_series`` (on a busy machine
longer than the default statement timeout: hence ``DATABASE_STATEMENT_TIMEOUT=0``),
``--overdue`` of them past their deadline by 1–20 days, the rest due within 60 days, their
``next_sweep_on`` as the services would have left it. It prints the EXPLAIN
(ANALYZE, BUFFERS) of the sweep's claim query, then times ``cases_escalate`` (the
service the Celery task calls) over all of them, and a second run that finds
nothing. Delivery is not timed here (benchmarks/notice_delivery.py measures it):
the delivery tasks go to an in-memory broker that no worker reads.
"""

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

TOWNSHIPS = 18
STATIONS_PER_TOWNSHIP = 7
UNITS = 48


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--overdue", type=float, default=0.01, help="share past the deadline")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to an empty PostgreSQL database.")
    os.environ.pop("REDIS_URL", None)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from liaison.celery import app

    # The sweep enqueues delivery after commit; no worker here, and never in-process.
    app.conf.task_always_eager = False
    call_command("migrate", verbosity=0)
    from suggestions.models import Case

    if Case.objects.exists():
        sys.exit("The database already holds cases: use an empty one.")
    from django.utils import timezone

    today = timezone.localdate()
    started = time.perf_counter()
    generate(args.cases, args.overdue, today)
    print(f"generated {args.cases:,} open cases in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    explain(today)
    sweep(today)


def generate(count: int, overdue: float, today: dt.date) -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from liaison.base.models import CommitteeMembership, JurisdictionSettings, Region
    from liaison.base.regions import RegionLevel
    from stations.models import Station, StationStaff, Visit, VisitChannel
    from suggestions.models import CaseCategory, HandlingUnit, UnitStaff
    from tests.factories import region

    User = get_user_model()
    with transaction.atomic():
        county = region("430121000000", "长沙县")
        JurisdictionSettings.objects.get_or_create(region=county)
        townships = Region.objects.bulk_create(
            Region(
                code=f"430121{n:03d}000",
                name=f"第{n}街道",
                level=RegionLevel.TOWNSHIP,
                parent=county,
            )
            for n in range(1, TOWNSHIPS + 1)
        )
        stations = Station.objects.bulk_create(
            Station(region=township, name=f"{township.name}第{n}站", address="便民服务中心")
            for township in townships
            for n in range(STATIONS_PER_TOWNSHIP)
        )
        Visit.objects.bulk_create(
            Visit(
                station=station,
                region_id=station.region_id,
                channel=VisitChannel.PHONE,
                visited_at=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC),
                constituent_name="群众",
            )
            for station in stations
        )
        units = HandlingUnit.objects.bulk_create(
            HandlingUnit(name=f"县第{n}局", region=county, contact_phone=f"0731-8400{n:04d}")
            for n in range(UNITS)
        )
        users = {
            user.username: user
            for user in User.objects.bulk_create(
                [User(username=f"clerk{unit.pk}") for unit in units]
                + [User(username=f"liaison{station.pk}") for station in stations]
                + [User(username=name, email=f"{name}@example.org") for name in ("county", "city")]
            )
        }
        UnitStaff.objects.bulk_create(
            UnitStaff(unit=unit, user=users[f"clerk{unit.pk}"]) for unit in units
        )
        StationStaff.objects.bulk_create(
            StationStaff(station=s, user=users[f"liaison{s.pk}"]) for s in stations
        )
        for code, name in (("430121000000", "county"), ("430100000000", "city")):
            CommitteeMembership.objects.create(region=region(code), user=users[name])
        CaseCategory.objects.get_or_create(code="transport", defaults={"name": "交通"})
    insert_cases(count, overdue, today)


def insert_cases(count: int, overdue: float, today: dt.date) -> None:
    """``count`` open cases in handling or supervising, spread over every visit, unit
    and category already in the database, with one INSERT … SELECT (also used by
    benchmarks/page_budget.py)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from stations.models import Visit
    from suggestions.models import CaseCategory, HandlingUnit

    units = list(HandlingUnit.objects.order_by("pk").values_list("pk", flat=True))
    categories = list(CaseCategory.objects.order_by("pk").values_list("pk", flat=True))
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    # A unique, well-formed tracking code from the row number: its 10 base-31 digits.
    digits = [f"substr(%(alphabet)s, (((i / {31**k}) %% 31) + 1)::int, 1)" for k in range(10)]
    code = " || ".join([*digits[:4], "'-'", *digits[4:8], "'-'", *digits[8:]])
    every = max(1, round(1 / overdue)) if overdue else 0
    overdue_test = f"i %% {every} = 0" if every else "false"
    # Only numbers computed above are formatted in; the values go as parameters.
    sql = f"""
    INSERT INTO suggestions_case (
        tracking_code, visit_id, region_id, station_id, title, description, category_id,
        authority, disposition, step, deadline, deadline_explanation, escalation_level,
        escalated_deadline, next_sweep_on, lead_unit_id, extension_until, extension_reason,
        result, reply, satisfaction, public_summary, is_key, published, merged_into_id,
        reopen_count, received_at, registered_at, replied_at, closed_at, updated_at,
        created_by_id, handler, plan, public_reply, conclusion)
    SELECT {code}, v.id, v.region_id, v.station_id, '路灯不亮 ' || i, '村口路灯坏了一个月。',
        (%(categories)s::int[])[1 + i %% %(category_count)s], 'township', 'letter',
        CASE WHEN i %% 3 = 0 THEN 'supervising' ELSE 'handling' END,
        d.deadline, '{{}}'::jsonb, 0, NULL,
        CASE WHEN d.deadline < %(today)s THEN d.deadline + 1
             WHEN d.deadline - 3 <= %(today)s THEN d.deadline + 1
             ELSE d.deadline - 3 END,
        (%(units)s::int[])[1 + i %% %(unit_count)s], NULL, '', '', '', '', '', false, false,
        NULL, 0, r.received_at, r.received_at + interval '1 hour', NULL, NULL,
        r.received_at + interval '1 day', NULL, '', '', '', ''
    FROM generate_series(1, %(count)s) AS i
    -- Received one every 30 seconds, the newest two days ago, and changed a day later:
    -- as in life, newer rows have later times, which the "newest first" sorts rely on.
    CROSS JOIN LATERAL (
        SELECT %(now)s - interval '2 days' - (%(count)s - i) * interval '30 seconds' AS received_at
    ) AS r
    CROSS JOIN LATERAL (
        SELECT CASE WHEN {overdue_test} THEN %(today)s - (1 + (i / {every or 1}) %% 20)::int
                    ELSE %(today)s + (1 + i %% 60)::int END AS deadline
    ) AS d
    JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, region_id, station_id
          FROM stations_visit) AS v ON v.n = i %% %(visit_count)s
    """  # noqa: S608
    params = {
        "alphabet": alphabet,
        "categories": categories,
        "category_count": len(categories),
        "today": today,
        # The application's clock, not the database's, as the services would stamp them.
        "now": timezone.now(),
        "units": units,
        "unit_count": len(units),
        "count": count,
        "visit_count": Visit.objects.count(),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def explain(today: dt.date) -> None:
    from django.db import connection, transaction

    from suggestions.cases import sweeps

    # The escalation claim's query on PostgreSQL (suggestions/shared/sweeps.py claim() over
    # sweeps.CLAIMED), unevaluated.
    query = (
        sweeps.escalation_due(today)
        .values_list(*sweeps.CLAIMED)
        .filter(next_sweep_on__lte=today)
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("next_sweep_on", "id")[: sweeps.SET_BASED_BATCH_SIZE]
    )
    with transaction.atomic(), connection.cursor() as cursor:
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    print("\nclaim query:\n" + sql % tuple(repr(p) for p in params))
    print("\nEXPLAIN (ANALYZE, BUFFERS):\n" + plan)


def sweep(today: dt.date) -> None:
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from liaison.base.notifications.models import Notification
    from suggestions.cases import sweeps
    from suggestions.models import Case, CaseEvent

    due = Case.objects.filter(next_sweep_on__lte=today, deadline__lt=today).count()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        escalated = sweeps.cases_escalate(today=today)
        elapsed = time.perf_counter() - started
    levels = dict(
        Case.objects.filter(escalated_deadline__isnull=False)
        .values_list("escalation_level")
        .annotate(n=Count("id"))
    )
    print(
        f"\nfirst sweep: {escalated:,} of {due:,} due cases escalated in {elapsed:.2f} s "
        f"({escalated / elapsed:,.0f} cases/s), {len(queries.captured_queries)} queries; "
        f"levels reached {levels}; {CaseEvent.objects.filter(kind='escalate').count():,} events, "
        f"{Notification.objects.count():,} outbox rows"
    )
    started = time.perf_counter()
    again = sweeps.cases_escalate(today=today)
    print(f"second sweep: {again} cases in {time.perf_counter() - started:.3f} s")


if __name__ == "__main__":
    main()
