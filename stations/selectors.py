"""Reads for the public site: only what is published, fetched in a constant number of queries."""

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from representatives.models import Representative
from stations.models import (
    DutyAssignment,
    ReceptionDay,
    ReceptionNotice,
    ReceptionStatus,
    Station,
    StationMembership,
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
    return (
        Representative.objects.published()
        .select_related("region")
        .prefetch_related(_current_memberships(today))
        .order_by("level", "name", "id")
    )


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
