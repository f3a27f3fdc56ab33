"""The sweep's dates of open suggestions, counted again after the calendar or the rules
changed (as ``suggestions/cases/sweep_dates.py`` does for cases).

``Suggestion.next_sweep_on`` is derived from the deadline, the working-day calendar and
the congress's ``due_soon_workdays``, ``escalation_interval_workdays`` and
``escalation_levels``. When an administrator enters a holiday or a make-up day, or
changes those rules, the open suggestions' dates follow (``sweeps.next_sweep_on``),
consistently with what the sweep already did for the current deadline (``reminded_for``,
``escalated_for`` and ``escalation_level``): a level that fired stays fired, a reminder
sent is not sent again. The deadline stays as the unit was told it, and no event is
written: nothing happened to the suggestion, only the day the sweep looks at it moved.
"""

import datetime as dt
from collections import defaultdict

from liaison.base import regions
from liaison.base.batches import in_locked_batches
from liaison.base.jurisdiction import settings_for_many
from suggestions.proposals import sweeps
from suggestions.proposals.models import Suggestion
from suggestions.shared.sweeps import ladders_by_year

BATCH_SIZE = 500


def suggestions_sweep_dates_refresh(
    *,
    region_code: str | None = None,
    deadlines: tuple[dt.date, dt.date] | None = None,
    batch_size: int = BATCH_SIZE,
) -> int:
    """Count again ``next_sweep_on`` of the open suggestions with a deadline, of a
    congress's subtree and/or with a deadline in ``deadlines``; returns how many changed
    (0 when run again)."""
    suggestions = Suggestion.objects.open().filter(deadline__isnull=False)
    if region_code:
        suggestions = suggestions.filter(
            regions.within("region", regions.subtree_bounds(region_code))
        )
    if deadlines:
        suggestions = suggestions.filter(deadline__range=deadlines)
    fields = ["region_id", "step", "deadline", "reminded_for", "escalated_for"]
    return in_locked_batches(
        # Deadline order: the open-deadline index, and few calendar years per batch.
        suggestions.only(*fields, "escalation_level", "next_sweep_on"),
        order="deadline",
        batch_size=batch_size,
        handle=_refresh,
    )


def _refresh(suggestions: list[Suggestion]) -> int:
    rules = settings_for_many(s.region_id for s in suggestions)
    ladder = ladders_by_year()  # one calendar query per deadline year
    moved = defaultdict(list)
    for suggestion in suggestions:
        date = sweeps.next_sweep_on(
            suggestion, rules=rules[suggestion.region_id], ladder=ladder(suggestion.deadline)
        )
        if date != suggestion.next_sweep_on:
            moved[date].append(suggestion.pk)
    # One UPDATE per new date; updated_at stays: the suggestion itself did not change.
    for date, ids in moved.items():
        Suggestion.objects.filter(pk__in=ids).update(next_sweep_on=date)
    return sum(len(ids) for ids in moved.values())
