"""The daily case sweeps: unregistered after a reception day, due soon, overdue escalation.

Every case carries ``next_sweep_on``, the date the sweeps next have something
to do for it. The services set it whenever a deadline is set (``first_sweep_on``)
and each sweep moves it on after acting, so each sweep is one range scan of the
partial index ``case_next_sweep_idx`` (``next_sweep_on <= today``): it reads only
the cases due today or missed while the scheduler was down, never every open case.

A sweep claims up to ``BATCH_SIZE`` due cases with ``SELECT … FOR UPDATE SKIP
LOCKED`` and, in the batch's one transaction, writes their CaseEvents (actor
empty: the system), their new state and their outbox rows (unique keys). Two
sweeps at once take different cases; a sweep run twice finds nothing the second
time; a row written twice is written once.

The dates, for a deadline D in working days of the case's jurisdiction:

- received (not yet registered) and D passed: flagged to the station's liaisons and
  the township and county committees, once per case;
- in the unit's hands, ``due_soon_workdays`` before D: the lead unit is reminded;
- the first working day after D: level 1 — the lead unit and the county committee
  are told, the case moves to supervising (督办);
- ``escalation_interval_workdays`` after level 1 was due, still open: level 2 — the
  committee one region up (the city) is told.

Each happens once per deadline; a new deadline (an approved extension, a reopening)
starts over at level 0. A case past several dates when the sweep finally runs gets
every level it is owed, in order, in one go.
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.calendar import WorkdayCalendar
from liaison.jurisdiction import settings_for_many
from liaison.models import JurisdictionSettings
from liaison.notifications.models import NotificationKind
from liaison.notifications.services import notifications_enqueue
from liaison.regions import RegionLevel
from suggestions.flow import TRANSITIONS
from suggestions.models import IN_HANDS_OF_UNIT, Case, CaseEvent, Step
from suggestions.notices import (
    ancestor_code,
    committees_of,
    local_committee_codes,
    rows_for,
    stations_staff,
    summary,
    units_staff,
)

BATCH_SIZE = 500
TOP_LEVEL = 2
_SAVED = ["step", "escalation_level", "escalated_deadline", "next_sweep_on"]


# DATES


def overdue_from(deadline: dt.date, calendar: WorkdayCalendar) -> dt.date:
    """The first working day after the deadline: the case is overdue from then on."""
    return calendar.next_workday(deadline + dt.timedelta(days=1))


def level_two_on(deadline: dt.date, rules: JurisdictionSettings, cal: WorkdayCalendar) -> dt.date:
    level_one = overdue_from(deadline, cal)
    return cal.shift(level_one, rules.escalation_interval_workdays).date


def first_sweep_on(
    case: Case, *, rules: JurisdictionSettings, calendar: WorkdayCalendar | None = None
) -> dt.date | None:
    """When the sweeps first act on a case whose deadline was just set (None: never)."""
    if case.deadline is None or case.step not in (Step.RECEIVED, *IN_HANDS_OF_UNIT):
        return None
    calendar = calendar or WorkdayCalendar(case.deadline)
    if case.step in IN_HANDS_OF_UNIT and rules.due_soon_workdays:
        return calendar.shift(case.deadline, -rules.due_soon_workdays).date
    return overdue_from(case.deadline, calendar)


# THE SWEEPS


def cases_unregistered_flag(*, today: dt.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Flag cases still at received after their registration deadline; returns how many."""
    return _sweep(_unregistered_batch, today, batch_size)


def cases_due_soon_remind(*, today: dt.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Remind lead units of cases inside the due-soon window; returns how many cases."""
    return _sweep(_due_soon_batch, today, batch_size)


def cases_escalate(*, today: dt.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Escalate overdue cases by the levels they are owed; returns how many cases."""
    return _sweep(_escalation_batch, today, batch_size)


def _sweep(batch, today: dt.date | None, batch_size: int) -> int:
    today = today or timezone.localdate()
    total = 0
    with translation.override(settings.LANGUAGE_CODE):  # the site's default language
        while count := batch(today, batch_size):
            total += count
    return total


def claim(queryset, *, today: dt.date, batch_size: int) -> list[Case]:
    """Lock up to ``batch_size`` due cases that no other sweep holds, oldest date first."""
    return list(
        queryset.filter(next_sweep_on__lte=today)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("station")
        .order_by("next_sweep_on", "id")[:batch_size]
    )


def unregistered_due():
    return Case.objects.filter(step=Step.RECEIVED)


def due_soon_due(today: dt.date):
    return Case.objects.filter(step__in=IN_HANDS_OF_UNIT, escalation_level=0, deadline__gte=today)


def escalation_due(today: dt.date):
    return Case.objects.filter(step__in=TRANSITIONS["escalate"].sources, deadline__lt=today)


@transaction.atomic
def _unregistered_batch(today: dt.date, batch_size: int) -> int:
    cases = claim(unregistered_due(), today=today, batch_size=batch_size)
    if not cases:
        return 0
    staff = stations_staff(case.station_id for case in cases)
    committees = committees_of(c for case in cases for c in local_committee_codes(case.region_id))
    rows, events = [], []
    for case in cases:
        recipients = staff.get(case.station_id, []) + [
            r for code in local_committee_codes(case.region_id) for r in committees.get(code, [])
        ]
        title = _("Case %(code)s is not registered yet") % {"code": case.tracking_code}
        rows += rows_for(
            recipients,
            case=case,
            kind=NotificationKind.CASE_UNREGISTERED,
            key="registration",
            title=title,
            body=summary(case),
        )
        events.append(
            _event(case, "flag_unregistered", case.step, title, {"deadline": str(case.deadline)})
        )
        case.escalation_level, case.escalated_deadline, case.next_sweep_on = 1, case.deadline, None
    _write(cases, events, rows)
    return len(cases)


@transaction.atomic
def _due_soon_batch(today: dt.date, batch_size: int) -> int:
    cases = claim(due_soon_due(today), today=today, batch_size=batch_size)
    if not cases:
        return 0
    calendar = WorkdayCalendar(today)
    staff = units_staff(case.lead_unit_id for case in cases if case.lead_unit_id)
    committees = committees_of(c for case in cases for c in local_committee_codes(case.region_id))
    rows, events = [], []
    for case in cases:
        # A case filed as a suggestion has no lead unit here: its committee is reminded.
        recipients = staff.get(case.lead_unit_id, []) or [
            r for code in local_committee_codes(case.region_id) for r in committees.get(code, [])
        ]
        title = _("Case %(code)s is due on %(date)s") % {
            "code": case.tracking_code,
            "date": case.deadline.isoformat(),
        }
        rows += rows_for(
            recipients,
            case=case,
            kind=NotificationKind.CASE_DUE_SOON,
            key=str(case.deadline),
            title=title,
            body=summary(case),
        )
        events.append(_event(case, "remind_due_soon", case.step, title, _deadline_data(case)))
        case.next_sweep_on = overdue_from(case.deadline, calendar)
    _write(cases, events, rows)
    return len(cases)


@transaction.atomic
def _escalation_batch(today: dt.date, batch_size: int) -> int:
    cases = claim(escalation_due(today), today=today, batch_size=batch_size)
    if cases:
        escalate(cases=cases, today=today)
    return len(cases)


def escalate(*, cases: list[Case], today: dt.date) -> None:
    """Raise locked, overdue cases to the level they are owed today, telling each level's
    audience once. The caller holds the rows' locks inside its transaction."""
    calendar = WorkdayCalendar(today)
    rules = settings_for_many(case.region_id for case in cases)
    units = units_staff(case.lead_unit_id for case in cases if case.lead_unit_id)
    counties = {case.pk: ancestor_code(case.region_id, RegionLevel.COUNTY) for case in cases}
    cities = {case.pk: ancestor_code(case.region_id, RegionLevel.CITY) for case in cases}
    committees = committees_of([*counties.values(), *cities.values()])
    rows, events, level_two_dates = [], [], {}
    for case in cases:
        # Cases share deadlines and rules: each date is counted on the calendar once.
        key = (case.deadline, rules[case.region_id].escalation_interval_workdays)
        if key not in level_two_dates:
            level_two_dates[key] = level_two_on(case.deadline, rules[case.region_id], calendar)
        level_two = level_two_dates[key]
        owed = TOP_LEVEL if today >= level_two else 1
        for level in range(case.escalation_level + 1, owed + 1):
            from_step = case.step
            if level == 1:
                case.step = TRANSITIONS["escalate"].target
                recipients = units.get(case.lead_unit_id, []) + committees.get(
                    counties[case.pk], []
                )
            else:
                recipients = committees.get(cities[case.pk], [])
            title = _("Case %(code)s is overdue: escalated to level %(level)s") % {
                "code": case.tracking_code,
                "level": level,
            }
            rows += rows_for(
                recipients,
                case=case,
                kind=NotificationKind.CASE_ESCALATED,
                key=f"{case.deadline}:L{level}",
                title=title,
                body=summary(case),
            )
            events.append(
                _event(case, "escalate", from_step, title, {"level": level, **_deadline_data(case)})
            )
        case.escalation_level = max(case.escalation_level, owed)
        case.escalated_deadline = case.deadline
        case.next_sweep_on = level_two if case.escalation_level < TOP_LEVEL else None
    _write(cases, events, rows)


def _deadline_data(case: Case) -> dict:
    return {"deadline": case.deadline.isoformat()}


def _event(case: Case, kind: str, from_step: str, note: str, data: dict) -> CaseEvent:
    return CaseEvent(
        case=case,
        kind=kind,
        from_step=from_step,
        to_step=case.step,
        actor=None,
        note=note,
        data=data,
    )


def _write(cases: list[Case], events: list[CaseEvent], rows: list) -> None:
    # One UPDATE per distinct new state (a few dozen per batch: cases share deadlines
    # and levels), which PostgreSQL runs far faster than bulk_update's CASE per row.
    groups = defaultdict(list)
    for case in cases:
        groups[tuple(getattr(case, field) for field in _SAVED)].append(case.pk)
    now = timezone.now()
    for values, ids in groups.items():
        Case.objects.filter(pk__in=ids).update(
            **dict(zip(_SAVED, values, strict=True)), updated_at=now
        )
    CaseEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    notifications_enqueue(notifications=rows)
