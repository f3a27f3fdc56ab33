"""Reception days that follow the working-day calendar when an administrator changes it.

A jurisdiction that does not keep non-working reception days has its monthly day moved
to the next working day by the planner (planning.py). When a day off or a make-up day
is entered, edited or deleted later (liaison/recompute.py), the days planned across it
follow, decided with the planner's own ``monthly_date``:

- a day is taken for its month's planned day only if it lies on the month's fixed day,
  or after it with nothing but days off (or the days that just changed) in between, as
  the planner would have put it; a date chosen by hand is not moved (only flagged, below);
- a planned day moves to the date the planner now chooses, its duties with it, through
  ``reception_day_update`` (so nobody ends up in two places on one day, nor on duty
  where they are not seated); when it cannot move (someone would be double-booked, the
  station has a day on that date) it stays and, if its date is now a day off, it is
  flagged; a December day the planner would now push into January is not moved either;
- a published day is never moved: the public and the representatives were told its
  date. If the change made its date a day off, it is flagged;
- a day in the past or held is not touched.

Flagged: the station's liaisons and the township committee get an in-app notice, once
per (day, date) whatever the number of runs, and the day's staff page says the date is
a day off for as long as it is (``day_off_warning``).
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.base import regions
from liaison.base.batches import in_locked_batches
from liaison.base.calendar import WorkdayCalendar
from liaison.base.jurisdiction import settings_for, settings_for_many
from liaison.base.models import CommitteeMembership, JurisdictionSettings
from liaison.base.notifications.models import Channel, Notification, NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from liaison.base.regions import RegionLevel
from stations.models import ReceptionDay, ReceptionStatus, StationStaff
from stations.planning import monthly_date, nominal_date
from stations.services import reception_day_update

S = ReceptionStatus
BATCH_SIZE = 200
# A day planned after a changed day X lies within the longest run of days off after X.
REACH = dt.timedelta(days=31)
SUBJECT_TYPE = "stations.receptionday"


@dataclass
class DayOffReport:
    moved: int = 0
    flagged: int = 0


def reception_days_follow_calendar(
    *, days: list[dt.date], today: dt.date | None = None, batch_size: int = BATCH_SIZE
) -> DayOffReport:
    """The calendar changed on ``days``: move or flag the planned and published days it
    touches (module docstring). Running it again moves nothing and notifies nobody twice."""
    today = today or timezone.localdate()
    changed = set(days)
    if not changed:
        return DayOffReport()
    near = Q()
    for day in changed:
        near |= Q(date__range=(day, day + REACH))
    rows = ReceptionDay.objects.filter(near, status__in=[S.PLANNED, S.PUBLISHED], date__gte=today)
    report = DayOffReport()
    with translation.override(settings.LANGUAGE_CODE):  # a task has no request language
        in_locked_batches(
            rows.select_related("station"),
            order="date",
            batch_size=batch_size,
            handle=lambda batch: _follow(batch, changed, today, report),
        )
    return report


def _follow(batch: list[ReceptionDay], changed: set, today: dt.date, report) -> int:
    rules = settings_for_many(day.station.region_id for day in batch)
    calendar = WorkdayCalendar(batch[len(batch) // 2].date)  # ±400 days: the whole batch
    notices, moved_before = [], report.moved
    for day in batch:
        rule = rules[day.station.region_id]
        if rule.keep_non_working_reception_day:
            continue
        target = planned_date(day.date, rule, calendar, changed)
        why = None
        # Never onto a date already past: the day stays (and is flagged if now off).
        if day.status == S.PLANNED and target is not None and today <= target != day.date:
            why = _move(day, target)
            if why is None:
                report.moved += 1
                continue
        reason = calendar.day_off_reason(day.date)
        if reason is not None and day.date in changed:
            notices += _notices(day, reason, target if why else None, why)
            report.flagged += 1
    notifications_enqueue(notifications=notices)
    return report.moved - moved_before


def planned_date(
    date: dt.date, rules: JurisdictionSettings, calendar: WorkdayCalendar, changed: set
) -> dt.date | None:
    """The date the planner now chooses for the month whose planned day ``date`` is, or
    None when ``date`` is not where the planner puts a month's day (set by hand)."""
    previous = date.replace(day=1) - dt.timedelta(days=1)
    for year, month in ((date.year, date.month), (previous.year, previous.month)):
        start = nominal_date(year, month, rules)
        if start > date:
            continue
        between = (start + dt.timedelta(days=n) for n in range((date - start).days))
        if all(day in changed or not calendar.is_workday(day) for day in between):
            chosen = monthly_date(year, month, rules, calendar)
            # The planner leaves out a date pushed into the next year; so does a move.
            return chosen if chosen.year == year else None
    return None


def _move(day: ReceptionDay, target: dt.date) -> str | None:
    """Move a planned day and its duties; None when moved, else why not (for people)."""
    if ReceptionDay.objects.filter(station_id=day.station_id, date=target).exists():
        return _("the station already has a reception day on %(date)s") % {
            "date": target.isoformat()
        }
    try:
        with transaction.atomic():
            # The system moves it: no person asked for it.
            reception_day_update(day=day, actor=None, date=target)
    except ValidationError as error:  # ReceptionDayError: double-booked, not seated
        return " ".join(error.messages)
    except IntegrityError:  # someone booked the same person or date meanwhile
        return _("someone on duty is already on duty elsewhere that day")
    return None


def _notices(day: ReceptionDay, reason: str, target, why: str | None) -> list[Notification]:
    text = {"station": day.station.name, "date": day.date.isoformat(), "reason": reason}
    body = _("%(station)s: the reception day of %(date)s now falls on a day off (%(reason)s).") % (
        text
    )
    if why:
        body += " " + _("It could not be moved to %(target)s: %(why)s.") % {
            "target": target.isoformat(),
            "why": why,
        }
    if day.status == S.PLANNED:
        body += " " + _("Change its date on the reception plan or cancel it.")
    elif day.noticed_at:
        body += " " + _("Its notice has gone out: cancel it with a reason and plan another day.")
    else:
        body += " " + _(
            "Unpublish it, change its date and publish it again, or cancel it with a reason."
        )
    title = _("Reception day on a day off: %(date)s") % {"date": day.date.isoformat()}
    return [
        Notification(
            kind=NotificationKind.RECEPTION_DAY_OFF,
            channel=Channel.IN_APP,
            subject_type=SUBJECT_TYPE,
            subject_id=day.pk,
            recipient_key=f"user:{user.pk}",
            recipient_name=user.get_full_name() or user.get_username(),
            user=user,
            title=title,
            body=body,
            due_date=day.date,
            # Once per day and date: a rerun, or a second change that keeps it off, adds none.
            dedupe_key=f"{NotificationKind.RECEPTION_DAY_OFF}:{SUBJECT_TYPE}:{day.pk}:"
            f"{day.date.isoformat()}:user{user.pk}:{Channel.IN_APP}",
        )
        for user in _liaisons_and_committee(day)
    ]


def _liaisons_and_committee(day: ReceptionDay) -> list:
    township = regions.prefix_of(day.station.region_id, RegionLevel.TOWNSHIP).ljust(12, "0")
    users = {
        row.user_id: row.user
        for row in StationStaff.objects.filter(station_id=day.station_id, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    }
    for row in (
        CommitteeMembership.objects.filter(region_id=township, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
    ):
        users.setdefault(row.user_id, row.user)
    return list(users.values())


def day_off_warning(day: ReceptionDay, today: dt.date | None = None) -> str | None:
    """Why the day's date is a day off, for the staff page, while a planned or published
    day of a jurisdiction that does not keep such days falls on one; else None."""
    if day.status not in (S.PLANNED, S.PUBLISHED) or day.date < (today or timezone.localdate()):
        return None
    if settings_for(day.station.region_id).keep_non_working_reception_day:
        return None
    return WorkdayCalendar(day.date).day_off_reason(day.date)
