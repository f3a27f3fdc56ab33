"""Reception-day services: edit a planned day, and move it through its statuses.

The allowed moves are data (``TRANSITIONS``); each service checks the source
status, writes, and raises ``ReceptionDayError`` with a message for people.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.base.calendar import WorkdayCalendar
from liaison.base.notifications.models import NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from representatives.models import Representative
from stations.models import (
    DutyAssignment,
    ReceptionDay,
    ReceptionNotice,
    ReceptionStatus,
    StationMembership,
)

S = ReceptionStatus


class ReceptionDayError(ValidationError):
    """A reception-day change that the rules refuse."""


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str


TRANSITIONS = {
    t.name: t
    for t in (
        # The plan becomes public: on the station's schedule, in the iCal feeds, and
        # its notice goes out on the notice date.
        Transition("publish", frozenset({S.PLANNED}), S.PUBLISHED),
        # Back to editing, allowed only while no notice has gone out.
        Transition("unpublish", frozenset({S.PUBLISHED}), S.PLANNED),
        Transition("hold", frozenset({S.PUBLISHED}), S.HELD),
        Transition("cancel", frozenset({S.PLANNED, S.PUBLISHED}), S.CANCELLED),
    )
}


def available_transitions(day: ReceptionDay) -> list[str]:
    return [name for name, t in TRANSITIONS.items() if day.status in t.sources]


def _check(day: ReceptionDay, name: str) -> None:
    if day.status not in TRANSITIONS[name].sources:
        raise ReceptionDayError(
            _("A %(status)s reception day cannot be %(action)s.")
            % {"status": day.get_status_display(), "action": _(name)}
        )


def _locked(day: ReceptionDay) -> ReceptionDay:
    return ReceptionDay.objects.select_for_update().select_related("station").get(pk=day.pk)


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


@transaction.atomic
def reception_day_publish(*, day: ReceptionDay, today: dt.date | None = None) -> ReceptionDay:
    day = _locked(day)
    _check(day, "publish")
    today = today or timezone.localdate()
    if day.date < today:
        raise ReceptionDayError(_("A reception day in the past cannot be published."))
    if not day.duties.exists():
        raise ReceptionDayError(_("Put at least one representative on duty before publishing."))
    day.status = S.PUBLISHED
    day.notice_date = notice_date_for(day)
    day.published_at = timezone.now()
    day.save(update_fields=["status", "notice_date", "published_at"])
    return day


@transaction.atomic
def reception_days_publish(*, days: Iterable[ReceptionDay], today: dt.date | None = None) -> int:
    """Publish a plan: every planned, staffed, future day among ``days``; returns how many."""
    today = today or timezone.localdate()
    ids = [day.pk for day in days]
    rows = list(
        ReceptionDay.objects.select_for_update()
        .filter(pk__in=ids, status=S.PLANNED, date__gte=today)
        .filter(
            pk__in=DutyAssignment.objects.filter(reception_day_id__in=ids).values(
                "reception_day_id"
            )
        )
        .order_by("date")
    )
    if not rows:
        return 0
    notice_dates = NoticeDates(rows[len(rows) // 2].date)
    now = timezone.now()
    for row in rows:
        row.status, row.published_at = S.PUBLISHED, now
        row.notice_date = notice_dates(row)
    ReceptionDay.objects.bulk_update(rows, ["status", "notice_date", "published_at"], 500)
    return len(rows)


@transaction.atomic
def reception_day_unpublish(*, day: ReceptionDay) -> ReceptionDay:
    day = _locked(day)
    _check(day, "unpublish")
    if day.noticed_at:
        raise ReceptionDayError(_("The notice has gone out: cancel the day with a reason instead."))
    day.status, day.notice_date, day.published_at = S.PLANNED, None, None
    day.save(update_fields=["status", "notice_date", "published_at"])
    return day


@transaction.atomic
def reception_day_hold(*, day: ReceptionDay, today: dt.date | None = None) -> ReceptionDay:
    day = _locked(day)
    _check(day, "hold")
    if day.date > (today or timezone.localdate()):
        raise ReceptionDayError(_("A reception day is held on or after its date."))
    day.status = S.HELD
    day.save(update_fields=["status"])
    return day


@transaction.atomic
def reception_day_cancel(*, day: ReceptionDay, reason: str) -> ReceptionDay:
    """Cancel with a reason; if the notice went out, withdraw it and tell those on duty."""
    day = _locked(day)
    _check(day, "cancel")
    reason = reason.strip()
    if not reason:
        raise ReceptionDayError(_("Say why the reception day is cancelled."))
    day.status, day.cancel_reason = S.CANCELLED, reason[:200]
    day.published_at = day.published_at or timezone.now()
    day.save(update_fields=["status", "cancel_reason", "published_at"])
    if day.noticed_at:
        ReceptionNotice.objects.filter(reception_day=day).update(withdrawn_at=timezone.now())
        _tell_cancelled(day)
    return day


def _tell_cancelled(day: ReceptionDay) -> None:
    from stations.notices import recipients_rows

    title = _("Reception day cancelled")
    body = _("%(station)s: the reception day of %(date)s is cancelled (%(reason)s).") % {
        "station": day.station.name,
        "date": day.date.isoformat(),
        "reason": day.cancel_reason,
    }
    duties = DutyAssignment.objects.filter(reception_day=day).select_related("representative__user")
    notifications_enqueue(
        notifications=[
            row
            for duty in duties
            for row in recipients_rows(
                day=day,
                representative=duty.representative,
                kind=NotificationKind.RECEPTION_CANCELLED,
                title=title,
                body=body,
            )
        ]
    )


@transaction.atomic
def reception_day_update(
    *,
    day: ReceptionDay,
    date: dt.date | None = None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    place: str | None = None,
    notice_lead_workdays: int | None = None,
) -> ReceptionDay:
    """Edit a planned day; a published one is unpublished first, a noticed one cancelled."""
    day = _locked(day)
    if day.status != S.PLANNED:
        raise ReceptionDayError(_("Only a planned reception day can be edited."))
    changes = {
        "date": date,
        "start_time": start_time,
        "end_time": end_time,
        "place": place,
        "notice_lead_workdays": notice_lead_workdays,
    }
    changed = [name for name, value in changes.items() if value is not None]
    for name in changed:
        setattr(day, name, changes[name])
    if not changed:
        return day
    day.full_clean(exclude=["station", "representatives"])
    day.save(update_fields=changed)
    if "date" in changed:
        # The duty rows copy the date; a clash with another station shows up here.
        ids = list(day.duties.values_list("representative_id", flat=True))
        check_duty(station_id=day.station_id, date=day.date, representative_ids=ids, day_id=day.pk)
        day.duties.update(date=day.date)
    return day


@transaction.atomic
def reception_day_set_duty(
    *, day: ReceptionDay, representatives: list[Representative]
) -> ReceptionDay:
    """Put exactly these representatives on duty on a planned day."""
    day = _locked(day)
    if day.status != S.PLANNED:
        raise ReceptionDayError(_("Only a planned reception day can be edited."))
    ids = [rep.pk for rep in representatives]
    check_duty(station_id=day.station_id, date=day.date, representative_ids=ids, day_id=day.pk)
    day.duties.exclude(representative_id__in=ids).delete()
    present = set(day.duties.values_list("representative_id", flat=True))
    DutyAssignment.objects.bulk_create(
        DutyAssignment(reception_day=day, representative=rep, date=day.date, kind=rep.kind)
        for rep in representatives
        if rep.pk not in present
    )
    return day


def check_duty(
    *, station_id: int, date: dt.date, representative_ids: list[int], day_id: int | None
) -> None:
    """Refuse representatives not seated in the station on ``date`` or already on duty
    elsewhere that day (the admin's forms call this too)."""
    seated = set(
        StationMembership.objects.current(date)
        .filter(station_id=station_id, representative_id__in=representative_ids)
        .values_list("representative_id", flat=True)
    )
    if outsiders := set(representative_ids) - seated:
        names = Representative.objects.filter(pk__in=outsiders).values_list("name", flat=True)
        raise ReceptionDayError(
            _("Not seated in this station on that day: %(names)s.") % {"names": "、".join(names)}
        )
    _refuse_double_booking(date, representative_ids, day_id)


def _refuse_double_booking(date: dt.date, ids: list[int], day_id: int | None) -> None:
    clashes = DutyAssignment.objects.filter(date=date, representative_id__in=ids)
    if day_id:
        clashes = clashes.exclude(reception_day_id=day_id)
    names = list(clashes.values_list("representative__name", flat=True))
    if names:
        raise ReceptionDayError(
            _("Already on duty elsewhere on %(date)s: %(names)s.")
            % {"date": date.isoformat(), "names": "、".join(names)}
        )
