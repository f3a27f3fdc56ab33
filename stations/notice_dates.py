"""Notice dates that follow the calendar and the rules after a day was published.

A published day stores its ``notice_date`` (``notice_date_for``, set when published) so that the notice sweep is
one indexed range query. When an administrator changes the working-day calendar or a
jurisdiction's notice lead, the days whose notice has not gone out yet are counted
again; a day already noticed keeps the date its notice went out on.

A jurisdiction's lead is copied onto each day when the planner creates it, and staff
may change one day's lead by hand. So when the rule changes, a day that still carries
the previous rule's lead takes the new one; a day whose lead differs was set by hand
and keeps it.
"""

import datetime as dt

from django.utils import timezone

from liaison.base import public_cache, regions
from liaison.base.batches import in_locked_batches
from liaison.base.calendar import WorkdayCalendar
from liaison.base.jurisdiction import settings_for_many
from stations.models import ReceptionDay, ReceptionStatus, Station

BATCH_SIZE = 500


def notice_date_for(day: ReceptionDay, calendar: WorkdayCalendar | None = None) -> dt.date:
    """N working days before the day, N being the day's own notice lead."""
    calendar = calendar or WorkdayCalendar(day.date)
    return calendar.shift(day.date, -day.notice_lead_workdays).date


class NoticeDates:
    """Notice dates for many days: one calendar query, each (date, lead) counted once."""

    def __init__(self, around: dt.date):
        self._calendar = WorkdayCalendar(around)
        self._known: dict[tuple[dt.date, int], dt.date] = {}

    def __call__(self, day: ReceptionDay) -> dt.date:
        key = (day.date, day.notice_lead_workdays)
        if key not in self._known:
            self._known[key] = notice_date_for(day, self._calendar)
        return self._known[key]


def reception_notice_dates_refresh(
    *,
    region_code: str | None = None,
    dates: tuple[dt.date, dt.date] | None = None,
    previous_lead: int | None = None,
    today: dt.date | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Count again the notice dates of the days not yet noticed and not yet past, in a
    region's subtree and/or with a date in ``dates``; with ``previous_lead`` (the lead the
    region's rules gave before they changed), days carrying it take the lead in force.
    Returns how many days changed; running it again changes nothing."""
    today = today or timezone.localdate()
    statuses = [ReceptionStatus.PUBLISHED]
    if previous_lead is not None:
        # A planned day gets its notice date when published, from the lead it carries.
        statuses.append(ReceptionStatus.PLANNED)
    days = ReceptionDay.objects.filter(status__in=statuses, noticed_at__isnull=True)
    days = days.filter(date__gte=today)
    if region_code:
        bounds = regions.subtree_bounds(region_code)
        days = days.filter(station__in=Station.objects.filter(regions.within("region", bounds)))
    if dates:
        days = days.filter(date__range=dates)
    return in_locked_batches(
        days.select_related("station"),
        order="date",  # so that each batch's days share a calendar year or two
        batch_size=batch_size,
        handle=lambda batch: _refresh(batch, previous_lead),
    )


def _refresh(days: list[ReceptionDay], previous_lead: int | None) -> int:
    rules = {}
    if previous_lead is not None:
        rules = settings_for_many(day.station.region_id for day in days)
    calendars: dict[int, NoticeDates] = {}  # one calendar query per year
    changed = []
    for day in days:
        before = (day.notice_lead_workdays, day.notice_date)
        if previous_lead is not None and day.notice_lead_workdays == previous_lead:
            day.notice_lead_workdays = rules[day.station.region_id].notice_lead_workdays
        if day.status == ReceptionStatus.PUBLISHED:
            year = day.date.year
            if year not in calendars:
                calendars[year] = NoticeDates(dt.date(year, 7, 1))
            day.notice_date = calendars[year](day)
        if (day.notice_lead_workdays, day.notice_date) != before:
            changed.append(day)
    ReceptionDay.objects.bulk_update(changed, ["notice_lead_workdays", "notice_date"])
    if changed:
        public_cache.bump("reception")
    return len(changed)
