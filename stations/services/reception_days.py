"""Reception-day moves: publish, unpublish, hold, cancel, edit and put on duty — one
function per transition of ``stations/flow.py``.

Each starts from the flow table (``RECEPTION_DAYS.start``: the day locked, its status
and the actor checked: the station's liaison, a committee over it, or the system),
checks the day itself, then writes the change and a ``ReceptionDayEvent``. A rule of
the day that refuses (a past date, nobody on duty, a notice gone out, a clash) raises
``ReceptionDayError`` with a message for people.
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.base import public_cache
from liaison.base.flow import Actor  # None: the system (the planner's command, a day-off move)
from liaison.base.notifications.models import NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from representatives.models import Representative
from stations.flow import RECEPTION_DAYS, S
from stations.models import (
    DutyAssignment,
    ReceptionDay,
    ReceptionDayEvent,
    ReceptionNotice,
    StationMembership,
)
from stations.notice_dates import NoticeDates, notice_date_for
from stations.notices import recipients_rows


class ReceptionDayError(ValidationError):
    """A reception-day change that the rules refuse."""


@transaction.atomic
def reception_day_publish(
    *, day: ReceptionDay, actor: Actor, today: dt.date | None = None
) -> ReceptionDay:
    move = RECEPTION_DAYS.start("publish", pk=day.pk, actor=actor)
    day = move.row
    today = today or timezone.localdate()
    if day.date < today:
        raise ReceptionDayError(_("A reception day in the past cannot be published."))
    if not day.duties.exists():
        raise ReceptionDayError(_("Put at least one representative on duty before publishing."))
    day.notice_date = notice_date_for(day)
    day.published_at = timezone.now()
    return move.finish(changed=["notice_date", "published_at"])


@transaction.atomic
def reception_days_publish(
    *, days: Iterable[ReceptionDay], actor: Actor, today: dt.date | None = None
) -> int:
    """Publish a plan: every planned, staffed, future day among ``days`` the actor may
    publish; returns how many."""
    today = today or timezone.localdate()
    ids = [day.pk for day in days]
    rows = list(
        ReceptionDay.objects.select_for_update()
        .select_related("station")
        .filter(pk__in=ids, status=S.PLANNED, date__gte=today)
        .filter(
            pk__in=DutyAssignment.objects.filter(reception_day_id__in=ids).values(
                "reception_day_id"
            )
        )
        .order_by("date")
    )
    publish = RECEPTION_DAYS["publish"]
    rows = [row for row in rows if publish.allowed(actor, row)]
    if not rows:
        return 0
    notice_dates = NoticeDates(rows[len(rows) // 2].date)
    now = timezone.now()
    events = []
    for row in rows:
        row.status, row.published_at = S.PUBLISHED, now
        row.notice_date = notice_dates(row)
        events.append(RECEPTION_DAYS.event(row, kind="publish", actor=actor, from_step=S.PLANNED))
    ReceptionDay.objects.bulk_update(rows, ["status", "notice_date", "published_at"], 500)
    ReceptionDayEvent.objects.bulk_create(events, batch_size=500)
    # bulk_update sends no signal: the public pages learn of the published days here.
    public_cache.bump("reception")
    return len(rows)


@transaction.atomic
def reception_day_unpublish(*, day: ReceptionDay, actor: Actor) -> ReceptionDay:
    move = RECEPTION_DAYS.start("unpublish", pk=day.pk, actor=actor)
    day = move.row
    if day.noticed_at:
        raise ReceptionDayError(_("The notice has gone out: cancel the day with a reason instead."))
    day.notice_date, day.published_at = None, None
    return move.finish(changed=["notice_date", "published_at"])


@transaction.atomic
def reception_day_hold(
    *, day: ReceptionDay, actor: Actor, today: dt.date | None = None
) -> ReceptionDay:
    move = RECEPTION_DAYS.start("hold", pk=day.pk, actor=actor)
    day = move.row
    if day.date > (today or timezone.localdate()):
        raise ReceptionDayError(_("A reception day is held on or after its date."))
    return move.finish()


@transaction.atomic
def reception_day_cancel(*, day: ReceptionDay, actor: Actor, reason: str) -> ReceptionDay:
    """Cancel with a reason; if the notice went out, withdraw it and tell those on duty."""
    move = RECEPTION_DAYS.start("cancel", pk=day.pk, actor=actor)
    day = move.row
    reason = reason.strip()
    if not reason:
        raise ReceptionDayError(_("Say why the reception day is cancelled."))
    day.cancel_reason = reason[:200]
    day.published_at = day.published_at or timezone.now()
    move.finish(changed=["cancel_reason", "published_at"], note=day.cancel_reason)
    if day.noticed_at:
        ReceptionNotice.objects.filter(reception_day=day).update(withdrawn_at=timezone.now())
        _tell_cancelled(day)
    return day


def _tell_cancelled(day: ReceptionDay) -> None:
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
    actor: Actor,
    date: dt.date | None = None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    place: str | None = None,
    notice_lead_workdays: int | None = None,
) -> ReceptionDay:
    """Edit a planned day (a published one is unpublished first, a noticed one cancelled)."""
    move = RECEPTION_DAYS.start("edit", pk=day.pk, actor=actor)
    day = move.row
    changes = {
        "date": date,
        "start_time": start_time,
        "end_time": end_time,
        "place": place,
        "notice_lead_workdays": notice_lead_workdays,
    }
    changed = [name for name, value in changes.items() if value is not None]
    before = {name: str(getattr(day, name)) for name in changed}
    for name in changed:
        setattr(day, name, changes[name])
    if not changed or all(str(getattr(day, name)) == before[name] for name in changed):
        return day
    day.full_clean(exclude=["station", "representatives"])
    if "date" in changed:
        # The duty rows copy the date; a clash with another station shows up here.
        ids = list(day.duties.values_list("representative_id", flat=True))
        check_duty(station_id=day.station_id, date=day.date, representative_ids=ids, day_id=day.pk)
        day.duties.update(date=day.date)
    data = {name: {"from": before[name], "to": str(getattr(day, name))} for name in changed}
    return move.finish(changed=changed, data=data)


@transaction.atomic
def reception_day_set_duty(
    *, day: ReceptionDay, actor: Actor, representatives: list[Representative]
) -> ReceptionDay:
    """Put exactly these representatives on duty on a planned day."""
    move = RECEPTION_DAYS.start("set_duty", pk=day.pk, actor=actor)
    day = move.row
    ids = [rep.pk for rep in representatives]
    present = set(day.duties.values_list("representative_id", flat=True))
    if present == set(ids):
        return day
    check_duty(station_id=day.station_id, date=day.date, representative_ids=ids, day_id=day.pk)
    day.duties.exclude(representative_id__in=ids).delete()
    DutyAssignment.objects.bulk_create(
        DutyAssignment(reception_day=day, representative=rep, date=day.date, kind=rep.kind)
        for rep in representatives
        if rep.pk not in present
    )
    return move.finish(data={"representatives": sorted(ids)})


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
