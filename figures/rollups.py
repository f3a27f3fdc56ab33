"""Keep the daily roll-ups (``models.py``): rebuild them all (the daily sweep), or recount
one station's day after a write to it commits.

Each is an ``INSERT … SELECT … GROUP BY`` that the database runs on its own: no case is
ever loaded into Python. The grouped SELECT is built with the ORM from the figures'
conditions (``definitions.case_counts``), so the roll-ups count exactly what the live
totals and the case list count.
"""

import datetime as dt

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from figures.definitions import COUNTED, case_counts
from figures.models import CaseDay, StationDay
from stations.models import DutyAssignment, ReceptionDay, ReceptionStatus, Visit
from stations.models.reception import Attendance
from suggestions.models import Case


def _insert(model, queryset: QuerySet, rename: dict[str, str]) -> int:
    """Run ``INSERT INTO model (…) <queryset's SELECT>`` in the database."""
    query = queryset.query
    names = [*query.values_select, *query.annotation_select]
    columns = [model._meta.get_field(rename.get(name, name)).column for name in names]
    sql, params = query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) {sql}", params)
        return cursor.rowcount


def _cases(condition: Q) -> QuerySet:
    return (
        Case.objects.filter(COUNTED, condition)
        .annotate(day=TruncDate("received_at"))
        .values("region_id", "station_id", "category_id", "lead_unit_id", "day")
        .annotate(**case_counts())
        .order_by()
    )


def _visits(condition: Q) -> QuerySet:
    return (
        Visit.objects.filter(condition)
        .annotate(day=TruncDate("visited_at"))
        .values("region_id", "station_id", "day")
        .annotate(visits=Count("pk"), people=Sum("people_count"))
        .order_by()
    )


def _reception_days(condition: Q) -> QuerySet:
    return (
        ReceptionDay.objects.filter(condition)
        .values("station__region_id", "station_id", "date")
        .annotate(
            days_planned=Count("pk"),
            days_held=Count("pk", filter=Q(status=ReceptionStatus.HELD)),
        )
        .order_by()
    )


def _entered(condition: Q) -> QuerySet:
    return (
        DutyAssignment.objects.filter(condition, reception_day__status=ReceptionStatus.HELD)
        .exclude(attendance=Attendance.ABSENT)
        .values("reception_day__station__region_id", "reception_day__station_id", "date")
        .annotate(entered=Count("pk"))
        .order_by()
    )


CASE_RENAME = {"region_id": "region", "lead_unit_id": "unit_id"}
DAY_RENAME = {"station__region_id": "region", "date": "day"}
DUTY_RENAME = {
    "reception_day__station__region_id": "region",
    "reception_day__station_id": "station_id",
    "date": "day",
}


def _fill_stations(visits: Q, days: Q, duties: Q) -> None:
    _insert(StationDay, _visits(visits), {"region_id": "region"})
    _insert(StationDay, _reception_days(days), DAY_RENAME)
    _insert(StationDay, _entered(duties), DUTY_RENAME)


@transaction.atomic
def rebuild() -> dict:
    """Recount every roll-up from the data (the daily sweep; safe to run any time)."""
    _lock(0)
    CaseDay.objects.all().delete()
    StationDay.objects.all().delete()
    cases = _insert(CaseDay, _cases(Q()), CASE_RENAME)
    _fill_stations(Q(), Q(), Q())
    return {"case_rows": cases, "station_rows": StationDay.objects.count()}


def _bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


@transaction.atomic
def refresh_cases(*, station_id: int, day: dt.date) -> None:
    """Recount the cases one station received on one day."""
    _lock(station_id)
    CaseDay.objects.filter(station_id=station_id, day=day).delete()
    start, end = _bounds(day)
    condition = Q(station_id=station_id, received_at__gte=start, received_at__lt=end)
    _insert(CaseDay, _cases(condition), CASE_RENAME)


@transaction.atomic
def refresh_station(*, station_id: int, day: dt.date) -> None:
    """Recount one station's visits, reception day and representatives of one day."""
    _lock(station_id)
    StationDay.objects.filter(station_id=station_id, day=day).delete()
    start, end = _bounds(day)
    _fill_stations(
        Q(station_id=station_id, visited_at__gte=start, visited_at__lt=end),
        Q(station_id=station_id, date=day),
        Q(reception_day__station_id=station_id, date=day),
    )


def _lock(key: int) -> None:
    # Two recounts of one station at once would both insert: they take turns (PostgreSQL;
    # SQLite writes one at a time anyway). The rebuild holds key 0 and so does no station.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7212, key])
