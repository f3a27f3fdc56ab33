"""The seven-step case flow as one table: name → from-steps → to-step → who may.

Deny by default: a move not in the table, from a step not in its sources, or by
a user its ``allowed`` refuses, does not happen. ``available_transitions`` is
what pages and the API offer; the services in ``suggestions/services.py``
check the same table before they write.

Who is who, read from ``liaison.scopes.scope_of``: the *liaison* of the case's
station; the *committee* whose region contains the case's region (an
administrator acts as a committee); the staff of the case's *lead unit*; the
*receiver*, a representative who received the visit; the *system* is the
scheduled sweeps, acting with no user.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.base.scopes import scope_of
from stations.models import Visit
from suggestions.models import (
    IN_HANDS_OF_UNIT,
    Case,
    Disposition,
    Satisfaction,
    Step,
    Suggestion,
)


def liaison(user, case: Case) -> bool:
    return case.station_id in scope_of(user).station_ids


def committee(user, case: Case) -> bool:
    scope = scope_of(user)
    return scope.is_admin or any(low <= case.region_id <= high for low, high in scope.region_bounds)


def lead_unit(user, case: Case) -> bool:
    units = scope_of(user).unit_ids
    if case.lead_unit_id is not None or not units:
        return case.lead_unit_id in units
    # A case turned into a suggestion is answered by that suggestion's lead unit.
    return (
        case.disposition == Disposition.SUGGESTION
        and Suggestion.objects.filter(
            Q(lead_unit_id__in=units) | Q(merged_into__lead_unit_id__in=units),
            source_case_id=case.pk,
        ).exists()
    )


def receiver(user, case: Case) -> bool:
    representative_id = scope_of(user).representative_id
    if representative_id is None:
        return False
    received = Visit.representatives.through.objects.filter(
        visit_id=case.visit_id, representative_id=representative_id
    )
    return received.exists()


def system(user, case: Case) -> bool:
    """The scheduled sweeps, which act with no user; no person is ever offered the move."""
    return user is None


def any_of(*predicates: Callable) -> Callable:
    def allowed(user, case: Case) -> bool:
        return any(predicate(user, case) for predicate in predicates)

    allowed.__doc__ = " or ".join(p.__name__ for p in predicates)
    return allowed


def always(case: Case) -> bool:
    return True


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[Step]
    # None: the step stays as it is (extension requests, decisions on them).
    target: Step | None
    allowed: Callable[..., bool]
    label: str
    # A state the case must be in besides its step, e.g. a pending extension request.
    condition: Callable[[Case], bool] = always
    condition_message: str = ""


OPEN_BEFORE_REPLY = frozenset({Step.RECEIVED, Step.REGISTERED, *IN_HANDS_OF_UNIT})
REGISTERED = frozenset({Step.REGISTERED})
WITH_UNIT = frozenset(IN_HANDS_OF_UNIT)

TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "register",
            frozenset({Step.RECEIVED}),
            Step.REGISTERED,
            any_of(liaison, committee),
            _("Register"),
        ),
        Transition(
            "assign_on_spot",
            REGISTERED,
            Step.HANDLING,
            any_of(liaison, committee),
            _("Assign on the spot"),
        ),
        Transition(
            "refer_by_letter",
            REGISTERED,
            Step.HANDLING,
            any_of(liaison, committee),
            _("Refer by letter"),
        ),
        Transition(
            "report_to_township",
            REGISTERED,
            Step.HANDLING,
            any_of(liaison, committee),
            _("Report to the township government"),
        ),
        Transition(
            "to_suggestion",
            REGISTERED,
            Step.HANDLING,
            committee,
            _("Turn into a representative suggestion"),
        ),
        Transition(
            "answer_consultation",
            REGISTERED,
            Step.REPLIED,
            any_of(liaison, committee),
            _("Answer the question"),
        ),
        Transition("supervise", WITH_UNIT, Step.SUPERVISING, committee, _("Supervise")),
        # 三定: the lead unit names its handler and plan; the step stays.
        Transition("set_plan", WITH_UNIT, None, lead_unit, _("Set handler and plan")),
        # The escalation sweep puts an overdue case under supervision (suggestions/sweeps.py).
        Transition("escalate", WITH_UNIT, Step.SUPERVISING, system, _("Escalate (overdue)")),
        Transition(
            "request_extension",
            WITH_UNIT,
            None,
            lead_unit,
            _("Request an extension"),
            condition=lambda case: case.extension_until is None,
            condition_message=_("An extension request is already waiting for a decision."),
        ),
        Transition(
            "approve_extension",
            WITH_UNIT,
            None,
            committee,
            _("Approve the extension"),
            condition=lambda case: case.extension_until is not None,
            condition_message=_("No extension has been requested."),
        ),
        Transition(
            "refuse_extension",
            WITH_UNIT,
            None,
            committee,
            _("Refuse the extension"),
            condition=lambda case: case.extension_until is not None,
            condition_message=_("No extension has been requested."),
        ),
        Transition("reply", WITH_UNIT, Step.REPLIED, any_of(lead_unit, committee), _("Reply")),
        Transition(
            "feedback",
            frozenset({Step.REPLIED}),
            Step.FEEDBACK,
            any_of(liaison, receiver),
            _("Record feedback"),
        ),
        Transition(
            "archive", frozenset({Step.FEEDBACK}), Step.ARCHIVED, committee, _("Archive (销号)")
        ),
        Transition(
            "reopen",
            frozenset({Step.FEEDBACK}),
            Step.HANDLING,
            committee,
            _("Reopen for handling"),
            condition=lambda case: case.satisfaction == Satisfaction.UNSATISFIED,
            condition_message=_("Only a case fed back as unsatisfied is reopened."),
        ),
        Transition("merge", OPEN_BEFORE_REPLY, Step.MERGED, any_of(liaison, committee), _("Merge")),
        Transition(
            "withdraw",
            OPEN_BEFORE_REPLY,
            Step.WITHDRAWN,
            any_of(liaison, committee),
            _("Withdraw"),
        ),
    ]
}


def may_receive(user, station) -> bool:
    """Who may open a case at a station: its liaison or a committee over it."""
    scope = scope_of(user)
    return (
        scope.is_admin
        or station.pk in scope.station_ids
        or any(low <= station.region_id <= high for low, high in scope.region_bounds)
    )


def available_transitions(user, case: Case) -> list[Transition]:
    return [
        transition
        for transition in TRANSITIONS.values()
        if case.step in transition.sources
        and transition.condition(case)
        and transition.allowed(user, case)
    ]
