"""The seven-step case flow as one table on the flow engine (liaison/base/flow.py):
name → from-steps → to-step → who may → what must be written → who is told.

Deny by default. ``CASES.available(user, case)`` is what pages and the API offer;
the services in ``services/`` start every move from this same table.

Who is who, read from the user's ``Scope``: the *liaison* of the case's station; the
*committee* whose region contains the case's region (an administrator acts as a
committee); the staff of the case's *lead unit*; the *receiver*, a representative who
received the visit; the *system* is the scheduled sweeps, acting with no user.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from liaison.base.flow import Flow, Refusals, Transition, any_of, system
from liaison.base.scopes import scope_of
from stations.models import Visit
from suggestions.cases.models import (
    CLOSED_STEPS,
    IN_HANDS_OF_UNIT,
    Case,
    Disposition,
    Satisfaction,
    Step,
)
from suggestions.proposals.models import Suggestion


def liaison(user, case: Case) -> bool:
    return case.station_id in scope_of(user).station_ids


def committee(user, case: Case) -> bool:
    return scope_of(user).covers_region(case.region_id)


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


def may_receive(user, station) -> bool:
    """Who may open a case at a station: its liaison or a committee over it."""
    return scope_of(user).covers_station(station)


def _extension_pending(case: Case) -> bool:
    return case.extension_until is not None


OPEN_BEFORE_REPLY = frozenset({Step.RECEIVED, Step.REGISTERED, *IN_HANDS_OF_UNIT})
REGISTERED = frozenset({Step.REGISTERED})
WITH_UNIT = frozenset(IN_HANDS_OF_UNIT)
STAFF = any_of(liaison, committee)

CASES = Flow(
    name="case",
    model=Case,
    refusals=Refusals(
        busy=_("Someone else is changing this case; try again in a moment."),
        wrong_step=_("“%(action)s” is not possible while the case is at “%(step)s”."),
        not_allowed=_("You may not “%(action)s” this case."),
    ),
    closed=frozenset(CLOSED_STEPS),
    transitions=(
        Transition("register", frozenset({Step.RECEIVED}), Step.REGISTERED, STAFF, _("Register")),
        Transition(
            "assign_on_spot",
            REGISTERED,
            Step.HANDLING,
            STAFF,
            _("Assign on the spot"),
            notify=("lead_unit",),
        ),
        Transition(
            "refer_by_letter",
            REGISTERED,
            Step.HANDLING,
            STAFF,
            _("Refer by letter"),
            notify=("lead_unit", "co_units"),
        ),
        Transition(
            "report_to_township",
            REGISTERED,
            Step.HANDLING,
            STAFF,
            _("Report to the township government"),
            required=frozenset({"note"}),
            notify=("lead_unit",),
        ),
        # The representatives who received the case file the suggestion (proposals/).
        Transition(
            "to_suggestion",
            REGISTERED,
            Step.HANDLING,
            committee,
            _("Turn into a representative suggestion"),
            notify=("receivers",),
        ),
        Transition(
            "answer_consultation",
            REGISTERED,
            Step.REPLIED,
            STAFF,
            _("Answer the question"),
            required=frozenset({"reply"}),
        ),
        Transition(
            "supervise",
            WITH_UNIT,
            Step.SUPERVISING,
            committee,
            _("Supervise"),
            required=frozenset({"note"}),
            notify=("lead_unit",),
        ),
        # 三定: the lead unit names its handler and plan; the step stays.
        Transition(
            "set_plan",
            WITH_UNIT,
            None,
            lead_unit,
            _("Set handler and plan"),
            required=frozenset({"handler", "plan"}),
        ),
        # The escalation sweep puts an overdue case under supervision (sweeps.py).
        Transition("escalate", WITH_UNIT, Step.SUPERVISING, system, _("Escalate (overdue)")),
        Transition(
            "request_extension",
            WITH_UNIT,
            None,
            lead_unit,
            _("Request an extension"),
            condition=lambda case: not _extension_pending(case),
            condition_message=_("An extension request is already waiting for a decision."),
            required=frozenset({"reason"}),
            notify=("committee",),
        ),
        Transition(
            "approve_extension",
            WITH_UNIT,
            None,
            committee,
            _("Approve the extension"),
            condition=_extension_pending,
            condition_message=_("No extension has been requested."),
            notify=("lead_unit",),
        ),
        Transition(
            "refuse_extension",
            WITH_UNIT,
            None,
            committee,
            _("Refuse the extension"),
            condition=_extension_pending,
            condition_message=_("No extension has been requested."),
            required=frozenset({"note"}),
            notify=("lead_unit",),
        ),
        Transition(
            "reply",
            WITH_UNIT,
            Step.REPLIED,
            any_of(lead_unit, committee),
            _("Reply"),
            required=frozenset({"reply"}),
            notify=("liaison", "receivers"),
        ),
        Transition(
            "feedback",
            frozenset({Step.REPLIED}),
            Step.FEEDBACK,
            any_of(liaison, receiver),
            _("Record feedback"),
            required=frozenset({"note"}),
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
            required=frozenset({"note"}),
            notify=("lead_unit",),
        ),
        Transition("merge", OPEN_BEFORE_REPLY, Step.MERGED, STAFF, _("Merge")),
        Transition(
            "withdraw",
            OPEN_BEFORE_REPLY,
            Step.WITHDRAWN,
            STAFF,
            _("Withdraw"),
            required=frozenset({"reason"}),
        ),
    ),
    # History rows that are not moves of the table: a case's opening on a visit (接待,
    # ``services.case_receive``, checked against the station with ``may_receive``), the
    # sweeps' own, and a merge's target.
    other_events={
        "receive": _("Received"),
        "absorb": _("Took in a merged case"),
        "flag_unregistered": _("Flagged: not registered in time"),
        "flag_unassigned": _("Flagged: not assigned in time"),
        "remind_due_soon": _("Reminded: due soon"),
        "recount_deadline": _("Deadline counted again on the official calendar"),
    },
)
