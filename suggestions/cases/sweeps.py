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
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.base.calendar import WorkdayCalendar
from liaison.base.jurisdiction import settings_for_many
from liaison.base.models import JurisdictionSettings
from liaison.base.notifications.models import Notification, NotificationKind
from liaison.base.notifications.services import (
    notifications_deliver_after_commit,
    notifications_enqueue,
)
from liaison.base.pg_arrays import as_arrays, format_template
from liaison.base.regions import RegionLevel
from stations.models import Station
from suggestions.cases.flow import CASES
from suggestions.cases.notices import (
    SUBJECT_TYPE,
    Notice,
    ancestor_code,
    committees_of,
    local_committee_codes,
    notices_enqueue,
    rows_for,
    stations_staff,
    summaries,
    summary,
    summary_lines,
    units_staff,
)
from suggestions.models import IN_HANDS_OF_UNIT, Case, CaseEvent, Step
from suggestions.shared.sweeps import Ladder, claim, due_by, overdue_from, sweep_until_done

BATCH_SIZE = 500
# The escalation sweep writes a batch in one statement on PostgreSQL whatever its size
# (``_escalate_set_based``), so there its batches are larger: each claim sorts the due cases again,
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


def escalation_helpers(*, today: dt.date | None = None, batch_size: int | None = None) -> int:
    """How many more sweepers the escalation is worth beside the one asking: one per batch
    due beyond the first, up to ``SWEEP_PARALLEL_TASKS`` in all. A catch-up of many
    batches then writes on as many database connections at once (each batch's writes are
    PostgreSQL's work, most of it index pages; two sweepers took three quarters of one's
    time on two cores). None on SQLite, which writes one transaction at a time."""
    if connection.vendor != "postgresql" or settings.SWEEP_PARALLEL_TASKS <= 1:
        return 0
    today = today or timezone.localdate()
    batch_size = batch_size or SET_BASED_BATCH_SIZE
    most = settings.SWEEP_PARALLEL_TASKS
    due = due_by(escalation_due(today), today).values("pk")
    batches = -(-due[: most * batch_size].count() // batch_size)
    return max(min(batches, most) - 1, 0)


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
    if connection.vendor == "postgresql":
        claimed = claim(
            escalation_due(today).values_list(*CLAIMED), today=today, batch_size=batch_size
        )
        if not claimed:
            return 0, 0
        return len(claimed), _escalate_set_based(claimed, today=today)
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


# What the set-based escalation reads of a claimed case: its id, its lead unit, and the
# state its new state follows from, which cases share (5,000 cases have a few dozen).
CLAIMED = (
    "id", "lead_unit_id", "region_id", "deadline", "step", "escalation_level",
    "escalated_deadline",
)  # fmt: skip
# The texts' values, in the order the SQL passes them to format().
_TEXT_VALUES = ("code", "level", "title", "station", "step", "date")
# The arrays of ``_Groups.states`` and ``_Groups.rungs``, a column each.
_STATES = ("steps", "levels", "escalated", "next", "labels")
_RUNGS = ("rung_groups", "rung_levels", "rung_from", "rung_to", "rung_committees", "rung_deadlines")


def _escalate_set_based(claimed: list[tuple], *, today: dt.date) -> int:
    """``escalate`` for locked rows of ``CLAIMED``, on PostgreSQL; returns how many rose.
    The ladder is worked out once per distinct state (``_ladder_groups``); one statement
    then writes the cases' new state, their events and their outbox rows, the database
    formatting the texts: the rows, keys and order ``escalate`` writes, without a model
    instance or a string built per case."""
    groups = _ladder_groups(claimed, today)
    recipients = {f"unit:{pk}": staff for pk, staff in units_staff(groups.units).items()}
    recipients |= {
        f"committee:{code}": staff for code, staff in committees_of(groups.committees).items()
    }
    members = [(a, r) for a, staff in recipients.items() for r in staff]
    by_id = sorted(range(len(claimed)), key=lambda i: claimed[i][0])
    title = _("Case %(code)s is overdue: escalated to level %(level)s")
    params = {
        # In id order, the UPDATE reads and writes the table's pages and most of its
        # indexes in their order (a quarter fewer pages than in the claim's date order);
        # "orders" keeps the claim's order for the events and outbox rows.
        "ids": [claimed[i][0] for i in by_id],
        "groups": [groups.of_case[i] for i in by_id],
        "orders": [i + 1 for i in by_id],
        **{name: [state[n] for state in groups.states] for n, name in enumerate(_STATES)},
        **{name: [rung[n] for rung in groups.rungs] for n, name in enumerate(_RUNGS)},
        "member_audience": [a for a, _r in members],
        "member_key": [r.key for _a, r in members],
        "member_name": [r.name for _a, r in members],
        "member_user": [r.user_id for _a, r in members],
        "member_email": [r.email for _a, r in members],
        "member_phone": [r.phone for _a, r in members],
        "title": format_template(title, *_TEXT_VALUES),
        "body": "\n".join(format_template(line, *_TEXT_VALUES) for line in summary_lines()),
        "event_kind": "escalate",
        "kind": NotificationKind.CASE_ESCALATED,
        "subject_type": SUBJECT_TYPE,
        "today": timezone.localdate(),
        "now": timezone.now(),
    }
    tables = {
        "case": Case._meta.db_table,
        "event": CaseEvent._meta.db_table,
        "outbox": Notification._meta.db_table,
        "station": Station._meta.db_table,
    }
    with connection.cursor() as cursor:
        cursor.execute(_ESCALATE_SQL.format(**tables), as_arrays(params))
        (written,) = cursor.fetchone()
    if written:
        notifications_deliver_after_commit(written)
    return groups.risen


@dataclass
class _Groups:
    """Claimed cases by their distinct state, and what the ladder makes of each group."""

    of_case: list[int] = field(default_factory=list)  # each case's group (from 1), in order
    # Per group: the new step, level, escalated deadline, next sweep date, the step's label.
    states: list[tuple] = field(default_factory=list)
    # Per level a group fires: the group, the level, from and to step, the committee's key,
    # the deadline as text.
    rungs: list[tuple] = field(default_factory=list)
    risen: int = 0  # cases that rise by a level or more
    units: set[int] = field(default_factory=set)  # lead units told (the cases at level 1)
    committees: set[str] = field(default_factory=set)  # region codes of the committees told


def _ladder_groups(claimed: list[tuple], today: dt.date) -> _Groups:
    """What ``escalate`` works out case by case, once per distinct state of ``CLAIMED``
    rows: a case's new state and levels follow from its region's rules, deadline, step
    and what already fired."""
    ladder = Ladder(WorkdayCalendar(today))
    rules = settings_for_many({row[2] for row in claimed})
    labels = {step: str(label) for step, label in Step.choices}
    target = CASES["escalate"].target
    found = _Groups()
    numbers: dict[tuple, int] = {}
    rises: list[bool] = []
    for _pk, unit_id, region_id, deadline, step, level, escalated in claimed:
        state = (region_id, deadline, step, level, escalated)
        if state not in numbers:
            numbers[state] = group = len(numbers) + 1
            owed = ladder.owed(deadline, rules[region_id], today)
            levels = range(level + 1, owed + 1) if owed else range(0)
            if owed == 0:  # claimed before its level 1 (a reminder that came too late)
                new = (step, level, escalated, overdue_from(deadline, ladder.calendar))
            else:
                risen = Case(
                    step=target if 1 in levels else step,
                    deadline=deadline,
                    escalation_level=max(level, owed),
                    escalated_deadline=deadline,
                )
                after = next_sweep_on(risen, rules=rules[region_id], ladder=ladder)
                new = (risen.step, risen.escalation_level, deadline, after)
            found.states.append((*new, labels[new[0]]))
            for rung in levels:
                code = level_committee(region_id, rung)
                found.committees.add(code)
                from_step = step if rung == 1 else new[0]
                audience = f"committee:{code}" if code else None  # above the province: none
                found.rungs.append((group, rung, from_step, new[0], audience, deadline.isoformat()))
            rises.append(bool(levels))
        group = numbers[state]
        found.of_case.append(group)
        found.risen += rises[group - 1]
        if rises[group - 1] and level == 0 and unit_id:
            found.units.add(unit_id)
    found.committees.discard(None)
    return found


# One statement: the new states (UPDATE … FROM the claimed ids and their group's state),
# one notice per case and level fired (the events, and the outbox rows fanned out to the
# audiences' members and channels: the lead unit's, then the level's committee's, a
# member heard through both told once, through the first; rows_for's order and keys).
_ESCALATE_SQL = """
WITH claimed AS (
    SELECT * FROM unnest(%(ids)s::bigint[], %(groups)s::int[], %(orders)s::int[]) AS c(id, g, o)
), state AS (
    SELECT * FROM unnest(%(steps)s::text[], %(levels)s::int[], %(escalated)s::date[],
                         %(next)s::date[], %(labels)s::text[])
        WITH ORDINALITY AS s(step, level, escalated, next, label, g)
), rung AS (
    SELECT * FROM unnest(%(rung_groups)s::int[], %(rung_levels)s::int[], %(rung_from)s::text[],
                         %(rung_to)s::text[], %(rung_committees)s::text[],
                         %(rung_deadlines)s::text[])
        AS r(g, level, from_step, to_step, committee, deadline)
), updated AS (
    UPDATE {case} AS c
    SET step = s.step, escalation_level = s.level, escalated_deadline = s.escalated,
        next_sweep_on = s.next, updated_at = %(now)s::timestamptz
    FROM claimed JOIN state AS s ON s.g = claimed.g
    WHERE c.id = claimed.id
    RETURNING c.id, claimed.o, claimed.g, c.tracking_code, c.title, c.station_id,
        c.lead_unit_id, s.label
), notice AS (
    SELECT row_number() OVER (ORDER BY u.o, r.level) AS n, u.id AS case_id, r.level,
        r.from_step, r.to_step, r.committee, u.lead_unit_id, r.deadline,
        format(%(title)s::text, u.tracking_code, r.level) AS title,
        format(%(body)s::text, u.tracking_code, NULL, u.title, st.name, u.label, r.deadline) AS body
    FROM updated AS u
    JOIN rung AS r ON r.g = u.g
    JOIN {station} AS st ON st.id = u.station_id
), event AS (
    INSERT INTO {event} (case_id, kind, from_step, to_step, actor_id, at, note, data)
    SELECT case_id, %(event_kind)s::text, from_step, to_step, NULL, %(now)s::timestamptz, title,
        jsonb_build_object('level', level, 'deadline', deadline)
    FROM notice
    ORDER BY n
), heard AS (
    SELECT n, 1 AS o, 'unit:' || lead_unit_id AS audience FROM notice WHERE level = 1
    UNION ALL
    SELECT n, 2, committee FROM notice
), member AS (
    SELECT * FROM unnest(%(member_audience)s::text[], %(member_key)s::text[],
                         %(member_name)s::text[], %(member_user)s::int[],
                         %(member_email)s::text[], %(member_phone)s::text[])
        WITH ORDINALITY AS m(audience, key, name, user_id, email, phone, o)
), reached AS (
    SELECT DISTINCT ON (heard.n, member.key) heard.n, heard.o AS heard_o, member.o AS member_o
    FROM heard
    JOIN member ON member.audience = heard.audience
    ORDER BY heard.n, member.key, heard.o, member.o
), outbox AS (
    INSERT INTO {outbox} (
        kind, channel, subject_type, subject_id, recipient_key, recipient_name, address,
        user_id, title, body, due_date, dedupe_key, idempotency_key, status, attempts,
        next_attempt_at, last_error, sent_at, read_at, created_at)
    SELECT %(kind)s::text, c.channel, %(subject_type)s::text, notice.case_id, m.key, left(m.name, 100),
        CASE c.channel WHEN 'email' THEN m.email WHEN 'sms' THEN m.phone ELSE '' END,
        CASE WHEN c.channel = 'in_app' THEN m.user_id END,
        left(notice.title, 200), notice.body, %(today)s::date,
        concat_ws(':', %(kind)s::text, %(subject_type)s::text, notice.case_id,
                  notice.deadline || ':L' || notice.level, m.key, c.channel),
        gen_random_uuid(), 'pending', 0, %(now)s::timestamptz, '', NULL, NULL, %(now)s::timestamptz
    FROM reached AS r
    JOIN notice ON notice.n = r.n
    JOIN member AS m ON m.o = r.member_o
    CROSS JOIN (VALUES (1, 'in_app'), (2, 'email'), (3, 'sms')) AS c(o, channel)
    WHERE CASE c.channel WHEN 'in_app' THEN m.user_id IS NOT NULL
                         WHEN 'email' THEN m.email <> ''
                         ELSE m.phone <> '' END
    ORDER BY r.n, r.heard_o, r.member_o, c.o
    ON CONFLICT (dedupe_key) DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM outbox
"""


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
        groups[tuple(getattr(case, name) for name in _SAVED)].append(case.pk)
    for values, ids in groups.items():
        Case.objects.filter(pk__in=ids).update(
            **dict(zip(_SAVED, values, strict=True)), updated_at=now
        )


_SAVE_STATES_SQL = """
UPDATE {table} AS c
SET step = s.step, escalation_level = s.level, escalated_deadline = s.escalated,
    next_sweep_on = s.next, updated_at = %(now)s::timestamptz
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
SELECT e.case_id, %(kind)s::text, e.from_step, e.to_step, NULL, %(at)s::timestamptz, e.note, e.data::jsonb
FROM unnest(%(case_ids)s::bigint[], %(from_steps)s::text[], %(to_steps)s::text[],
            %(notes)s::text[], %(data)s::text[])
    WITH ORDINALITY AS e(case_id, from_step, to_step, note, data, n)
ORDER BY e.n
"""
