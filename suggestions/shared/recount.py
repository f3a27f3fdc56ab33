"""Provisional deadlines counted again when the official calendar of their year is entered.

A case's or a suggestion's deadline counted across a year past chinese-calendar's tables,
before the administrators entered that year's arrangement, skipped the statutory holidays
by rule and is marked ``provisional`` in its explanation (suggestions/shared/deadlines.py).
When a ``WorkdayAdjustment`` of that year is saved or deleted, the recompute
(liaison/wiring/recompute.py) calls ``provisional_deadlines_recount``: each open row whose
provisional deadline waits for that year is counted again from its stored rule and start;
a changed date is written with one history row each (``recount_deadline``, by the
system), so the unit and the staff see when and why it moved. Running it again changes
nothing.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from suggestions.shared import deadlines


def provisional_deadlines_recount(*, rows, event_model, subject: str, years: set[int]) -> int:
    """``rows``: open cases or suggestions (a queryset); ``subject`` the events' foreign key
    name (``case``, ``suggestion``). Returns how many deadlines moved."""
    moved = 0
    candidates = rows.filter(deadline_explanation__provisional=True, deadline__isnull=False)
    for pk in candidates.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            row = rows.select_for_update().filter(pk=pk).first()
            if row is None or not deadlines.recounted_years(row.deadline_explanation) & years:
                continue
            counted = deadlines.recount(row.deadline_explanation)
            if counted is None:
                continue
            before = row.deadline
            row.deadline, row.deadline_explanation = counted
            row.save(update_fields=["deadline", "deadline_explanation"])
            if row.deadline != before:
                moved += 1
                event_model.objects.create(
                    **{subject: row},
                    kind="recount_deadline",
                    from_step=row.step,
                    to_step=row.step,
                    actor=None,
                    note=_(
                        "Deadline counted again on the official calendar: %(before)s → %(after)s"
                    )
                    % {"before": before.isoformat(), "after": row.deadline.isoformat()},
                    data={"deadline": row.deadline.isoformat(), "before": before.isoformat()},
                )
    return moved
