"""What the case moves share: start a move from the flow table, finish it (with the sweep
dates a new deadline starts over and the notices after commit), and the deadline fields.
The machinery every flow shares is the engine, liaison/base/flow.py."""

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base.flow import Actor, Move
from liaison.base.jurisdiction import settings_for
from liaison.base.regions import ancestor_codes
from suggestions.cases import sweeps
from suggestions.cases.flow import CASES
from suggestions.cases.models import Case
from suggestions.cases.notices import notify_case_changed
from suggestions.shared import deadlines
from suggestions.shared.models import HandlingUnit

DEADLINE = ["deadline", "deadline_explanation"]


def start(name: str, *, case_id: int, actor: Actor, case: Case | None = None) -> Move:
    return CASES.start(name, pk=case_id, actor=actor, row=case)


def finish(move: Move, *, changed: list[str], note: str = "", data=None) -> Case:
    case = move.row
    if "deadline" in changed:
        move.check()
        move.advance()  # the sweeps' next date depends on the new step
        changed = [*changed, *schedule_sweeps(case)]
    move.finish(changed=changed, note=note, data=data)
    notify_after_commit(case, move.transition.name, move.event)
    return case


def schedule_sweeps(case: Case, rules=None) -> list[str]:
    """A new deadline (or none) starts the reminders and escalation over: each level
    fires once per deadline, so an approved extension or a reopening begins at level 0."""
    case.escalation_level = 0
    case.next_sweep_on = sweeps.first_sweep_on(case, rules=rules or settings_for(case.region_id))
    return ["escalation_level", "next_sweep_on"]


def notify_after_commit(case: Case, transition: str, event) -> None:
    case_id, event_id = case.pk, event.pk

    # A named function, not a partial: Django logs a robust callback's failure by __qualname__.
    def notify_case_changed_after_commit():
        notify_case_changed(case_id=case_id, transition=transition, event_id=event_id)

    # robust: the move is committed whatever happens to its notices (the error is logged).
    transaction.on_commit(notify_case_changed_after_commit, robust=True)


def replied_on_time(case: Case) -> bool:
    """Replied now, by the deadline in force (``deadlines.on_time``; the backfill of
    cases replied before it was recorded applies the same rule to their history)."""
    return deadlines.on_time(timezone.localdate(), case.deadline)


def set_deadline(case: Case, deadline: dt.date | None, explanation: dict) -> None:
    case.deadline, case.deadline_explanation = deadline, explanation


def units_for(case: Case) -> QuerySet[HandlingUnit]:
    """Active units of the case's township, county and above: where its matters may go
    (the forms' choices and every move's check)."""
    return HandlingUnit.objects.filter(active=True, region_id__in=ancestor_codes(case.region_id))


def check_units(move: Move, case: Case, unit: HandlingUnit | None, co_units=()) -> None:
    allowed = set(ancestor_codes(case.region_id))
    if unit is not None and unit.region_id not in allowed:
        move.error("unit", _("This unit cannot take cases of this place."))
    if any(co.region_id not in allowed for co in co_units):
        move.error("co_units", _("This unit cannot take cases of this place."))
