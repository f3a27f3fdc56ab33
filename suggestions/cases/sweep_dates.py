"""The sweeps' dates of open cases, counted again after the calendar or the rules changed.

``Case.next_sweep_on`` is derived from the deadline, the working-day calendar and the
jurisdiction's ``due_soon_workdays`` and ``escalation_interval_workdays``. When an
administrator enters a holiday or a make-up day, or changes those rules, the open
cases' dates follow (``sweeps.next_sweep_on``), consistently with what the sweeps
already did for the current deadline: a flag or a level that fired stays fired, a
reminder sent is not sent again. The deadline itself stays as the unit was told it
(it is in the 转办函 and the notices), and no CaseEvent is written: nothing happened
to the case, only the day the sweeps look at it moved.
"""

import datetime as dt
from collections import defaultdict

from liaison.base import regions
from liaison.base.batches import in_locked_batches
from liaison.base.jurisdiction import settings_for_many
from suggestions.cases import sweeps
from suggestions.models import IN_HANDS_OF_UNIT, Case, CaseEvent
from suggestions.shared.sweeps import ladders_by_year

BATCH_SIZE = 500
SWEPT_STEPS = (*sweeps.WITH_STAFF, *IN_HANDS_OF_UNIT)


def cases_sweep_dates_refresh(
    *,
    region_code: str | None = None,
    deadlines: tuple[dt.date, dt.date] | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Count again ``next_sweep_on`` of the open cases with a deadline, in a region's subtree
    and/or with a deadline in ``deadlines``; returns how many changed (0 when run again)."""
    cases = Case.objects.open().filter(step__in=SWEPT_STEPS, deadline__isnull=False)
    if region_code:
        cases = cases.filter(regions.within("region", regions.subtree_bounds(region_code)))
    if deadlines:
        cases = cases.filter(deadline__range=deadlines)
    fields = ["region_id", "step", "deadline", "escalation_level", "escalated_deadline"]
    return in_locked_batches(
        # Deadline order: the open-deadline indexes, and few calendar years per batch.
        cases.only(*fields, "next_sweep_on"),
        order="deadline",
        batch_size=batch_size,
        handle=_refresh,
    )


def _refresh(cases: list[Case]) -> int:
    rules = settings_for_many(case.region_id for case in cases)
    reminded = _reminded(cases)
    ladder = ladders_by_year()  # one calendar query per deadline year
    moved = defaultdict(list)
    for case in cases:
        date = sweeps.next_sweep_on(
            case,
            rules=rules[case.region_id],
            ladder=ladder(case.deadline),
            reminded=(case.pk, case.deadline.isoformat()) in reminded,
        )
        if date != case.next_sweep_on:
            moved[date].append(case.pk)
    # One UPDATE per new date; updated_at stays: the case itself did not change.
    for date, ids in moved.items():
        Case.objects.filter(pk__in=ids).update(next_sweep_on=date)
    return sum(len(ids) for ids in moved.values())


def _reminded(cases: list[Case]) -> set[tuple[int, str]]:
    """(case, deadline) pairs whose due-soon reminder went out, from the sweep's events."""
    waiting = [c.pk for c in cases if c.step in IN_HANDS_OF_UNIT and not c.escalation_level]
    if not waiting:
        return set()
    events = CaseEvent.objects.filter(case_id__in=waiting, kind="remind_due_soon")
    return set(events.values_list("case_id", "data__deadline"))
