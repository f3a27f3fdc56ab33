"""Reads for the public site: only what is published, fetched in a constant number of queries."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils import timezone

from representatives.models import Representative
from representatives.selectors import representatives_published
from stations.models import (
    DutyAssignment,
    ReceptionDay,
    ReceptionNotice,
    ReceptionStatus,
    Station,
    StationMembership,
    Visit,
)

# What the public sees of the plan: announced days and days already held.
PUBLIC_STATUSES = [ReceptionStatus.PUBLISHED, ReceptionStatus.HELD]


def _current_memberships(today: dt.date) -> Prefetch:
    return Prefetch(
        "station_memberships",
        queryset=StationMembership.objects.current(on=today).select_related("station"),
        to_attr="current_memberships",
    )


def public_representatives(*, today: dt.date | None = None) -> QuerySet[Representative]:
    today = today or timezone.localdate()
    return representatives_published().prefetch_related(_current_memberships(today))


def public_reception_days(*, start: dt.date | None = None) -> QuerySet[ReceptionDay]:
    """Announced reception days from ``start`` on, with their published on-duty representatives."""
    start = start or timezone.localdate()
    duties = DutyAssignment.objects.filter(representative__published=True).select_related(
        "representative"
    )
    return (
        ReceptionDay.objects.filter(status__in=PUBLIC_STATUSES, date__gte=start)
        .select_related("station", "station__region")
        .prefetch_related(Prefetch("duties", queryset=duties, to_attr="public_duties"))
        .order_by("date", "start_time", "station_id")
    )


def next_duty_days(representative: Representative, *, limit: int = 5) -> list[ReceptionDay]:
    return list(public_reception_days().filter(duties__representative=representative)[:limit])


def public_stations() -> QuerySet[Station]:
    return Station.objects.active().select_related("region").order_by("region_id", "name")


def station_representatives(station: Station, *, today: dt.date | None = None):
    today = today or timezone.localdate()
    return (
        Representative.objects.published()
        .filter(
            station_memberships__in=StationMembership.objects.current(on=today).filter(
                station=station
            )
        )
        .select_related("region")
        .order_by("level", "name")
    )


def next_public_notice(station: Station, *, today: dt.date | None = None):
    """The public notice (通知公告) of the station's next announced reception day, if sent."""
    today = today or timezone.localdate()
    return (
        ReceptionNotice.objects.filter(
            reception_day__station=station,
            reception_day__status__in=PUBLIC_STATUSES,
            reception_day__date__gte=today,
            withdrawn_at__isnull=True,
        )
        .select_related("reception_day")
        .order_by("reception_day__date")
        .first()
    )


def past_reception_days(station: Station, *, today: dt.date | None = None):
    """The station's days already held, newest first (their figures: ``attach_figures``)."""
    today = today or timezone.localdate()
    return (
        ReceptionDay.objects.filter(station=station, status=ReceptionStatus.HELD, date__lte=today)
        .select_related("station")
        .order_by("-date")
    )


@dataclass(frozen=True)
class DayFigures:
    """A reception day's figures, derived from the visits logged on it."""

    people: int = 0  # people received: the sum of each visit's number of people
    visits: int = 0
    cases: int = 0  # cases those visits raised


def attach_figures(days: Iterable[ReceptionDay]) -> list[ReceptionDay]:
    """Set ``day.figures`` on every day with two grouped queries, whatever their number.

    Two queries rather than one annotation: joining visits and their cases in one
    GROUP BY would count a visit's people once per case it raised.
    """
    days = list(days)
    ids = [day.pk for day in days]
    by_day = Visit.objects.filter(reception_day_id__in=ids).values("reception_day_id").order_by()
    visits = {
        row["reception_day_id"]: row
        for row in by_day.annotate(visits=Count("id"), people=Sum("people_count"))
    }
    cases = dict(by_day.annotate(cases=Count("cases")).values_list("reception_day_id", "cases"))
    for day in days:
        row = visits.get(day.pk, {})
        day.figures = DayFigures(
            people=row.get("people") or 0, visits=row.get("visits", 0), cases=cases.get(day.pk, 0)
        )
    return days


def seated_at(station: Station) -> QuerySet[Representative]:
    """Representatives seated at the station today, published or not: who may be named as
    having received a visit there (the desk's choices and the API's check)."""
    return Representative.objects.filter(
        pk__in=StationMembership.objects.current()
        .filter(station=station)
        .values("representative_id")
    ).order_by("name")
