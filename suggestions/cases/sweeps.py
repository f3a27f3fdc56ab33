"""The daily case sweeps: unregistered after a reception day, registered but not assigned,
due soon, overdue escalation.

Every case carries ``next_sweep_on``, the date the sweeps next have something
to do for it (the design both flows share: suggestions/shared/sweeps.py). The
services set it whenever a deadline is set (``first_sweep_on``) and each sweep
moves it on after acting, so each sweep is one range scan of the partial index
``case_next_sweep_idx`` (``next_sweep_on <= today``): it reads only the cases due
today or missed while the scheduler was down, never every open case.

A sweep claims up to ``BATCH_SIZE`` due cases (the escalation on PostgreSQL:
``SET_BASED_BATCH_SIZE``) with ``SELECT … FOR UPDATE SKIP LOCKED`` and, in the
batch's one transaction, writes their CaseEvents (actor empty: the system), their
new state and their outbox rows (unique keys). Two
sweeps at once take different cases; a sweep run twice finds nothing the second
time; a row written twice is written once.

The dates, for a deadline D in working days of the case's jurisdiction:

- received (not yet registered) and D passed: flagged to the station's liaisons and
  the township and county committees, once per case;
- registered (not yet assigned) and D, the disposition deadline, passed: flagged to the
  township and county committees, who sort and assign, once per deadline;
- in the unit's hands, the ladder (suggestions/shared/sweeps.py): ``due_soon_workdays``
  before D the lead unit is reminded; the first working day after D, level 1 — the
  lead unit and the county committee are told, the case moves to supervising (督办);
  each ``escalation_interval_workdays`` later, still open, the next level up to the
  jurisdiction's ``escalation_levels`` (2 by default) — level n the committee n-1
  congress levels above the county (level 2 the city's, level 3 the province's).

Each happens once per deadline; a new deadline (an approved extension, a reopening)
starts over at level 0. A case past several dates when the sweep finally runs gets
every level it is owed, in order, in one go.

``next_sweep_on`` says what the sweeps have done so far for the current deadline; when
the working-day calendar or a jurisdiction's rules change, ``sweep_dates.py`` computes
it again with ``next_sweep_on`` below, and the deadline itself stays as it was given.
"""

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.base.calendar import WorkdayCalendar
from liaison.base.jurisdiction import settings_for_many
from liaison.base.models import JurisdictionSettings
from liaison.base.notifications.models import NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from liaison.base.pg_arrays import as_arrays
from liaison.base.regions import RegionLevel
from suggestions.cases.flow import CASES
from suggestions.cases.notices import (
    Notice,
    ancestor_code,
    committees_of,
    local_committee_codes,
    notices_enqueue,
    rows_for,
    stations_staff,
    summaries,
    summary,
    units_staff,
)
from suggestions.models import IN_HANDS_OF_UNIT, Case, CaseEvent, Step
from suggestions.shared.sweeps import Ladder, claim, overdue_from, sweep_until_done

BATCH_SIZE = 500
# The escalation sweep writes a batch in three statements on PostgreSQL whatever its size
# (``escalate``), so there its batches are larger: each claim sorts the due cases again,
# and a catch-up of 10,000 cases is two batches, not twenty. A batch holds its cases'
# locks for about a second.
SET_BASED_BATCH_SIZE = 5000
# Steps where the case waits for the station or the committee, not for a unit.
WITH_STAFF = (Step.RECEIVED, Step.REGISTERED)
# Whom each escalation level tells beyond level 1's lead unit: the committee of the
# county (level 1), then one congress level up per level (the city, the province).
COMMITTEE_LADDER = (RegionLevel.COUNTY, RegionLevel.CITY, RegionLevel.PROVINCE)
_SAVED = ["step", "escalation_level", "escalated_deadline", "next_sweep_on"]


# DATES


def first_sweep_on(
    case: Case, *, rules: JurisdictionSettings, calendar: WorkdayCalendar | None = None
) -> dt.date | None:
    """When the sweeps first act on a case whose deadline was just set (None: never)."""
    if case.deadline is None:
        return None
    ladder = Ladder(calendar or WorkdayCalendar(case.deadline))
    return next_sweep_on(case, rules=rules, ladder=ladder)


def next_sweep_on(
    case: Case, *, rules: JurisdictionSettings, ladder: Ladder, reminded: bool = False
) -> dt.date | None:
    """When the sweeps next act on a case, given what they did for its deadline so far:
    ``escalation_level`` with ``escalated_deadline`` (the flag or the levels that fired)
    and ``reminded`` (the due-soon reminder went out). None: nothing is left to do."""
    if case.deadline is None:
        return None
    if case.step in WITH_STAFF:
        return None if case.escalation_level else overdue_from(case.deadline, ladder.calendar)
    if case.step not in IN_HANDS_OF_UNIT:
        return None
    # A level the committee raised by hand (督办) is not the sweep's level for this
    # deadline: no reminder any more, and the escalation sweep still comes on the first
    # day overdue.
    fired = case.escalation_level if case.escalated_deadline == case.deadline else 0
    return ladder.next_sweep_on(
        case.deadline, rules, fired=fired, reminded=reminded or case.escalation_level > 0
    )


def level_committee(region_code: str, level: int) -> str | None:
    """The committee an escalation level tells (level 1: the county's; None: above the
    province, where the region tree ends)."""
    if level > len(COMMITTEE_LADDER):
        return None
    return ancestor_code(region_code, COMMITTEE_LADDER[level - 1])


# THE SWEEPS


@dataclass(frozen=True)
class Flag:
    """A case left too long at a step where staff act (no unit yet): who hears, and how."""

    step: str
    kind: str  # NotificationKind
    event: str  # CaseEvent kind
    title: str  # lazy, "%(code)s" the tracking code
    liaisons: bool  # the station's liaisons are told too, not only the committees
    key: str  # names the occasion in the outbox keys, with the deadline if "{deadline}"


UNREGISTERED = Flag(
    step=Step.RECEIVED,
    kind=NotificationKind.CASE_UNREGISTERED,
    event="flag_unregistered",
    title=gettext_lazy("Case %(code)s is not registered yet"),
    liaisons=True,
    key="registration",  # a received case has one registration deadline
)
# Sorting and assigning is the committee's (case_register's disposition deadline).
UNASSIGNED = Flag(
    step=Step.REGISTERED,
    kind=NotificationKind.CASE_UNASSIGNED,
    event="flag_unassigned",
    title=gettext_lazy("Case %(code)s is registered but not assigned yet"),
    liaisons=False,
    key="disposition:{deadline}",
)


def cases_unregistered_flag(*, today: dt.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Flag cases still at received after their registration deadline; returns how many."""
    return _sweep(partial(_flag_batch, UNREGISTERED), today, batch_size)


def cases_unassigned_flag(*, today: dt.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Flag registered cases not assigned by their disposition deadline; returns how many."""
    return _sweep(partial(_flag_batch, UNASSIGNED), today, batch_size)


def cases_due_soon_remind(*, today: dt.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Remind lead units of cases inside the due-soon window; returns how many cases."""
    return _sweep(_due_soon_batch, today, batch_size)


def cases_escalate(*, today: dt.date | None = None, batch_size: int | None = None) -> int:
    """Escalate overdue cases by the levels they are owed; returns how many cases."""
    if batch_size is None:
        batch_size = SET_BASED_BATCH_SIZE if connection.vendor == "postgresql" else BATCH_SIZE
    return _sweep(_escalation_batch, today, batch_size)


def _sweep(batch, today: dt.date | None, batch_size: int) -> int:
    today = today or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):  # the site's default language
        return sweep_until_done(batch, today=today, batch_size=batch_size)


def _claim(queryset, *, today: dt.date, batch_size: int) -> list[Case]:
    return claim(queryset, today=today, batch_size=batch_size, related=("station",))


# What each sweep claims among the cases whose ``next_sweep_on`` has come.


def flag_due(flag: Flag):
    return Case.objects.filter(step=flag.step)


def due_soon_due(today: dt.date):
    return Case.objects.not_overdue(today).filter(step__in=IN_HANDS_OF_UNIT, escalation_level=0)


def escalation_due(today: dt.date):
    return Case.objects.overdue(today).filter(step__in=CASES["escalate"].sources)


# What ``escalate`` reads of a claimed case (a batch builds hundreds of them).
ESCALATION_FIELDS = (
    "tracking_code", "title", "region_id", "station__name", "step", "deadline",
    "escalation_level", "escalated_deadline", "next_sweep_on", "lead_unit_id",
)  # fmt: skip


@transaction.atomic
def _flag_batch(flag: Flag, today: dt.date, batch_size: int) -> tuple[int, int]:
    cases = _claim(flag_due(flag), today=today, batch_size=batch_size)
    if not cases:
        return 0, 0
    staff = stations_staff(case.station_id for case in cases) if flag.liaisons else {}
    committees = committees_of(c for case in cases for c in local_committee_codes(case.region_id))
    rows, events = [], []
    for case in cases:
        recipients = staff.get(case.station_id, []) + [
            r for code in local_committee_codes(case.region_id) for r in committees.get(code, [])
        ]
        title = str(flag.title) % {"code": case.tracking_code}
        rows += rows_for(
            recipients,
            case=case,
            kind=flag.kind,
            key=flag.key.format(deadline=case.deadline),
            title=title,
            body=summary(case),
        )
        events.append(_event(case, flag.event, case.step, title, {"deadline": str(case.deadline)}))
        case.escalation_level, case.escalated_deadline, case.next_sweep_on = 1, case.deadline, None
    _write(cases, events, rows)
    return len(cases), len(cases)


@transaction.atomic
def _due_soon_batch(today: dt.date, batch_size: int) -> tuple[int, int]:
    cases = _claim(due_soon_due(today), today=today, batch_size=batch_size)
    if not cases:
        return 0, 0
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
    return len(cases), len(cases)


@transaction.atomic
def _escalation_batch(today: dt.date, batch_size: int) -> tuple[int, int]:
    due = escalation_due(today).only(*ESCALATION_FIELDS)
    cases = _claim(due, today=today, batch_size=batch_size)
    if not cases:
        return 0, 0
    return len(cases), escalate(cases=cases, today=today)


def escalate(*, cases: list[Case], today: dt.date) -> int:
    """Raise locked, overdue cases to the level they are owed today on the ladder, telling
    each level's audience once; returns how many rose. The caller holds the rows' locks
    inside its transaction."""
    ladder = Ladder(WorkdayCalendar(today))
    rules = settings_for_many(case.region_id for case in cases)
    owed = {case.pk: ladder.owed(case.deadline, rules[case.region_id], today) for case in cases}
    units = units_staff(case.lead_unit_id for case in cases if case.lead_unit_id)
    committees = committees_of(
        code
        for case in cases
        for level in range(case.escalation_level + 1, owed[case.pk] + 1)
        if (code := level_committee(case.region_id, level))
    )
    title = _("Case %(code)s is overdue: escalated to level %(level)s")
    step_labels = {step: str(label) for step, label in Step.choices}
    summary_of = summaries()
    events, notices, risen = [], [], 0
    for case in cases:
        if owed[case.pk] == 0:  # claimed before its level 1 (a reminder that came too late)
            case.next_sweep_on = overdue_from(case.deadline, ladder.calendar)
            continue
        levels = range(case.escalation_level + 1, owed[case.pk] + 1)
        risen += bool(levels)
        body = None
        for level in levels:
            from_step = case.step
            audiences = [f"committee:{level_committee(case.region_id, level)}"]
            if level == 1:
                case.step = CASES["escalate"].target
                audiences.insert(0, f"unit:{case.lead_unit_id}")
            # The same for every level of one case: the step is the target's from level 1.
            body = body or summary_of(case, step_labels[case.step])
            note = title % {"code": case.tracking_code, "level": level}
            key = f"{case.deadline}:L{level}"
            notices.append(Notice(case.pk, key, note, body, tuple(audiences)))
            events.append(
                (case.pk, from_step, case.step, note, {"level": level, **_deadline_data(case)})
            )
        case.escalation_level = max(case.escalation_level, owed[case.pk])
        case.escalated_deadline = case.deadline
        case.next_sweep_on = next_sweep_on(case, rules=rules[case.region_id], ladder=ladder)
    recipients = {f"unit:{pk}": staff for pk, staff in units.items()}
    recipients |= {f"committee:{code}": staff for code, staff in committees.items()}
    _save_states(cases)
    _events_insert("escalate", events)
    notices_enqueue(notices, kind=NotificationKind.CASE_ESCALATED, recipients=recipients)
    return risen


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
    _save_states(cases)
    CaseEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
    notifications_enqueue(notifications=rows)


def _save_states(cases: list[Case]) -> None:
    """Write the sweeps' fields of ``cases`` as they stand on the instances."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        # One UPDATE … FROM the new states, whatever their number, in id order: the
        # table's pages and most of its indexes are then read in their order, not the
        # claim's (by date), a quarter fewer pages read and written for 5,000 cases.
        cases = sorted(cases, key=lambda case: case.pk)
        with connection.cursor() as cursor:
            cursor.execute(
                _SAVE_STATES_SQL.format(table=Case._meta.db_table),
                as_arrays(
                    {
                        "ids": [case.pk for case in cases],
                        "steps": [case.step for case in cases],
                        "levels": [case.escalation_level for case in cases],
                        "escalated": [case.escalated_deadline for case in cases],
                        "next": [case.next_sweep_on for case in cases],
                        "now": now,
                    }
                ),
            )
        return
    # One UPDATE per distinct new state (a few dozen per batch: cases share deadlines
    # and levels), far faster than bulk_update's CASE per row.
    groups = defaultdict(list)
    for case in cases:
        groups[tuple(getattr(case, field) for field in _SAVED)].append(case.pk)
    for values, ids in groups.items():
        Case.objects.filter(pk__in=ids).update(
            **dict(zip(_SAVED, values, strict=True)), updated_at=now
        )


_SAVE_STATES_SQL = """
UPDATE {table} AS c
SET step = s.step, escalation_level = s.level, escalated_deadline = s.escalated,
    next_sweep_on = s.next, updated_at = %(now)s
FROM unnest(%(ids)s::bigint[], %(steps)s::text[], %(levels)s::int[], %(escalated)s::date[],
            %(next)s::date[]) AS s(id, step, level, escalated, next)
WHERE c.id = s.id
"""


def _events_insert(kind: str, events: list[tuple]) -> None:
    """The system's CaseEvents of a batch: (case id, from step, to step, note, data)."""
    if connection.vendor != "postgresql":
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(
                    case_id=case_id, kind=kind, from_step=from_step, to_step=to_step,
                    actor=None, note=note, data=data,
                )
                for case_id, from_step, to_step, note, data in events
            ],
            batch_size=BATCH_SIZE,
        )  # fmt: skip
        return
    with connection.cursor() as cursor:
        cursor.execute(
            _EVENTS_SQL.format(table=CaseEvent._meta.db_table),
            as_arrays(
                {
                    "kind": kind,
                    "at": timezone.now(),
                    "case_ids": [event[0] for event in events],
                    "from_steps": [event[1] for event in events],
                    "to_steps": [event[2] for event in events],
                    "notes": [event[3] for event in events],
                    "data": [json.dumps(event[4]) for event in events],
                }
            ),
        )


_EVENTS_SQL = """
INSERT INTO {table} (case_id, kind, from_step, to_step, actor_id, at, note, data)
SELECT e.case_id, %(kind)s, e.from_step, e.to_step, NULL, %(at)s, e.note, e.data::jsonb
FROM unnest(%(case_ids)s::bigint[], %(from_steps)s::text[], %(to_steps)s::text[],
            %(notes)s::text[], %(data)s::text[])
    WITH ORDINALITY AS e(case_id, from_step, to_step, note, data, n)
ORDER BY e.n
"""
