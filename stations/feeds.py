"""Public iCal feeds of published reception days: one per station, one per representative.

A day cancelled after it was published stays in the feed as CANCELLED, so
calendars that subscribed to it drop the event instead of keeping a stale one.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from representatives.models import Representative
from stations.models import DutyAssignment, ReceptionDay, ReceptionStatus, Station

HISTORY = dt.timedelta(days=366)
PUBLIC = Q(status__in=[ReceptionStatus.PUBLISHED, ReceptionStatus.HELD]) | Q(
    status=ReceptionStatus.CANCELLED, published_at__isnull=False
)


def public_reception_days():
    """Published days of active stations from a year back, with their published duty."""
    duties = DutyAssignment.objects.filter(representative__published=True).select_related(
        "representative"
    )
    return (
        ReceptionDay.objects.filter(PUBLIC, station__active=True)
        .filter(date__gte=timezone.localdate() - HISTORY)
        .select_related("station")
        .prefetch_related(Prefetch("duties", queryset=duties))
        .order_by("date", "id")
    )


def station_calendar(request, pk: int) -> HttpResponse:
    station = get_object_or_404(Station.objects.filter(active=True), pk=pk)
    days = public_reception_days().filter(station=station)
    return _ics(days, name=station.name, filename=f"station-{station.pk}.ics")


def representative_calendar(request, pk: int) -> HttpResponse:
    rep = get_object_or_404(Representative.objects.published(), pk=pk)
    days = public_reception_days().filter(duties__representative=rep)
    return _ics(days, name=rep.name, filename=f"representative-{rep.pk}.ics")


def _ics(days, *, name: str, filename: str) -> HttpResponse:
    zone = timezone.get_default_timezone()
    calendar = Calendar()
    calendar.add("prodid", "-//liaison-station//reception days//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Reception days: %(name)s") % {"name": name})
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for day in days:
        event = Event()
        event.add("uid", f"reception-day-{day.pk}@liaison-station")
        event.add("summary", _("%(station)s reception day") % {"station": day.station.name})
        event.add("dtstart", dt.datetime.combine(day.date, day.start_time, tzinfo=zone))
        event.add("dtend", dt.datetime.combine(day.date, day.end_time, tzinfo=zone))
        event.add("dtstamp", day.published_at or day.created_at)
        event.add("location", day.place or day.station.address)
        names = "、".join(duty.representative.name for duty in day.duties.all())
        event.add("description", _("On duty: %(names)s") % {"names": names or "-"})
        if day.status == ReceptionStatus.CANCELLED:
            event.add("status", "CANCELLED")
        else:
            event.add("status", "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
