"""The seven-step case flow as one table on the flow engine (liaison/base/flow.py):
name → from-steps → to-step → who may → what must be written → who is told.

Deny by default. ``CASES.available(user, case)`` is what pages and the API offer;
the services in ``services/`` start every move from this same table.

Who is who, read from the user's ``Scope``: the *liaison* of the case's station; the
*committee* whose region contains the case's region (an administrator acts as a
committee); the staff of the case's *lead unit*; the *receiver*, a representative who
received the visit; the *system* is the scheduled sweeps, acting with no user; the *constituent* is the person
who raised the case, proven by its tracking code and the check on the public status page
(no user either: no staff member is ever offered their moves).

What each authority recorded at registration allows (``AUTHORITY_ALLOWS``) is the one
table of dispositions: a matter for the county or above goes to a suggestion or a
county unit, never to a township letter.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base.flow import Flow, Refusals, Transition, any_of, system
from liaison.base.regions import RegionLevel, level_of
from liaison.base.scopes import scope_of
from stations.models import Visit
from suggestions.cases.models import (
    CLOSED_STEPS,
    IN_HANDS_OF_UNIT,
    Authority,
    Case,
    CaseCallback,
    CaseRating,
    Disposition,
    RatingSource,
    ReplyResult,
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


def constituent(user, case: Case) -> bool:
    """The constituent on the status page (tracking code and check): no user."""
    return user is None


def may_receive(user, station) -> bool:
    """Who may open a case at a station: its liaison or a committee over it."""
    return scope_of(user).covers_station(station)


def _extension_pending(case: Case) -> bool:
    return case.extension_until is not None


# WHAT EACH AUTHORITY ALLOWS (辰溪, 湘潭): the dispositions, and the lowest level of the
# unit a matter may be sent to (None: any unit of the case's township, county and above).
AUTHORITY_ALLOWS: dict[str, tuple[frozenset[str], RegionLevel | None]] = {
    Authority.TOWNSHIP: (
        frozenset({Disposition.ON_THE_SPOT, Disposition.LETTER, Disposition.CONSULTATION}),
        None,
    ),
    Authority.TOWNSHIP_MAJOR: (
        frozenset({Disposition.TOWNSHIP_REPORT, Disposition.LETTER}),
        None,
    ),
    Authority.COUNTY: (
        frozenset({Disposition.SUGGESTION, Disposition.LETTER}),
        RegionLevel.COUNTY,
    ),
    Authority.CONSULTATION: (frozenset({Disposition.CONSULTATION}), None),
}
# Region levels from the top, to compare a unit's level with the lowest allowed.
_LEVELS = list(RegionLevel)  # province first, village last


def authority_allows(disposition: str):
    def allows(case: Case) -> bool:
        return disposition in AUTHORITY_ALLOWS.get(case.authority, (frozenset(), None))[0]

    return allows


def unit_fits_authority(case: Case, unit) -> bool:
    """Whether a unit is high enough for the authority recorded at registration."""
    lowest = AUTHORITY_ALLOWS.get(case.authority, (frozenset(), None))[1]
    if lowest is None or unit is None:
        return True
    return _LEVELS.index(level_of(unit.region_id)) <= _LEVELS.index(lowest)


NOT_THIS_AUTHORITY = _("The authority recorded at registration does not allow this disposition.")


def _may_send_back(case: Case) -> bool:
    return case.send_back_until is not None and timezone.localdate() <= case.send_back_until


def _round_rated_by(source: str):
    def rated(case: Case) -> bool:
        return CaseRating.objects.filter(
            case_id=case.pk, round=case.reopen_count, source=source
        ).exists()

    return rated


_constituent_rated = _round_rated_by(RatingSource.CONSTITUENT)


def _constituent_owes_rating(user, case: Case) -> bool:
    return not _constituent_rated(case)


def _callback_pending(case: Case) -> bool:
    return CaseCallback.objects.filter(case_id=case.pk, done_at__isnull=True).exists()


def _may_conclude(case: Case) -> bool:
    return case.result not in {ReplyResult.SOLVED, ReplyResult.ANSWERED} and not case.conclusion


def _may_close(case: Case) -> bool:
    """销号 only after a solved reply (or an answered question), and no call-back waiting;
    otherwise the committee concludes (``conclude``) first."""
    settled = case.result in {ReplyResult.SOLVED, ReplyResult.ANSWERED} or bool(case.conclusion)
    return settled and not _callback_pending(case)


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
            condition=authority_allows(Disposition.ON_THE_SPOT),
            condition_message=NOT_THIS_AUTHORITY,
            notify=("lead_unit",),
        ),
        Transition(
            "refer_by_letter",
            REGISTERED,
            Step.HANDLING,
            STAFF,
            _("Refer by letter"),
            condition=authority_allows(Disposition.LETTER),
            condition_message=NOT_THIS_AUTHORITY,
            notify=("lead_unit", "co_units"),
        ),
        Transition(
            "report_to_township",
            REGISTERED,
            Step.HANDLING,
            STAFF,
            _("Report to the township government"),
            condition=authority_allows(Disposition.TOWNSHIP_REPORT),
            condition_message=NOT_THIS_AUTHORITY,
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
            condition=authority_allows(Disposition.SUGGESTION),
            condition_message=NOT_THIS_AUTHORITY,
            notify=("receivers",),
        ),
        Transition(
            "answer_consultation",
            REGISTERED,
            Step.REPLIED,
            STAFF,
            _("Answer the question"),
            condition=authority_allows(Disposition.CONSULTATION),
            condition_message=NOT_THIS_AUTHORITY,
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
        # 退单: a misrouted case goes back to the committee, which assigns it again.
        Transition(
            "send_back",
            frozenset({Step.HANDLING}),
            Step.REGISTERED,
            lead_unit,
            _("Send back as misrouted (退单)"),
            condition=_may_send_back,
            condition_message=_("The time to send this case back has passed."),
            required=frozenset({"reason"}),
            notify=("committee",),
        ),
        Transition(
            "reply",
            WITH_UNIT,
            Step.REPLIED,
            any_of(lead_unit, committee),
            _("Reply"),
            required=frozenset({"reply", "public_reply"}),
            notify=("liaison", "receivers", "constituent"),
        ),
        # "正在解决": the case stays open under follow-up until replied solved or concluded.
        Transition(
            "reply_in_progress",
            WITH_UNIT,
            Step.FOLLOW_UP,
            any_of(lead_unit, committee),
            _("Reply: being solved (follow-up)"),
            required=frozenset({"reply", "public_reply", "next_reply_on"}),
            notify=("liaison", "receivers", "constituent"),
        ),
        # The committee may correct what the constituent reads until they have rated it.
        Transition(
            "edit_public_reply",
            frozenset({Step.REPLIED, Step.FOLLOW_UP}),
            None,
            committee,
            _("Edit the reply to the constituent"),
            condition=lambda case: not _constituent_rated(case),
            condition_message=_("The constituent has already rated this reply."),
            required=frozenset({"public_reply"}),
        ),
        # The constituent rates the reply on the status page, once per reply.
        Transition(
            "rate",
            frozenset({Step.REPLIED, Step.FEEDBACK}),
            Step.FEEDBACK,
            constituent,
            _("Rated by the constituent"),
            owed=_constituent_owes_rating,
        ),
        # 不满意 from the constituent sends the case back to its unit (the flow's rule).
        Transition(
            "reopen_on_rating",
            frozenset({Step.FEEDBACK}),
            Step.HANDLING,
            constituent,
            _("Reopened: the constituent is unsatisfied"),
            condition=lambda case: (
                case.satisfaction == Satisfaction.UNSATISFIED
                and not case.conclusion
                and (case.lead_unit_id is not None or case.disposition == Disposition.SUGGESTION)
            ),
            condition_message=_("Only a case rated unsatisfied, with a unit, reopens by itself."),
            notify=("lead_unit",),
        ),
        # 回访: the clerk calls a sampled constituent back and records it.
        Transition(
            "record_callback",
            frozenset({Step.REPLIED, Step.FEEDBACK}),
            None,
            committee,
            _("Record the call-back (回访)"),
            condition=_callback_pending,
            condition_message=_("This case is not waiting for a call-back."),
        ),
        Transition(
            "feedback",
            frozenset({Step.REPLIED}),
            Step.FEEDBACK,
            any_of(liaison, receiver),
            _("Record feedback"),
            required=frozenset({"note"}),
        ),
        # The committee's conclusion that it cannot be solved now, shown to the constituent;
        # under follow-up it ends the follow-up, and the case waits for its rating.
        Transition(
            "conclude",
            frozenset({Step.REPLIED, Step.FEEDBACK}),
            None,
            committee,
            _("Conclude: cannot be solved now"),
            condition=_may_conclude,
            condition_message=_("Only a case not solved, and not concluded yet, is concluded."),
            required=frozenset({"conclusion"}),
            notify=("lead_unit", "constituent"),
        ),
        Transition(
            "conclude_follow_up",
            frozenset({Step.FOLLOW_UP}),
            Step.REPLIED,
            committee,
            _("Conclude: cannot be solved now"),
            condition=_may_conclude,
            condition_message=_("Only a case not solved, and not concluded yet, is concluded."),
            required=frozenset({"conclusion"}),
            notify=("lead_unit", "constituent"),
        ),
        Transition(
            "archive",
            frozenset({Step.FEEDBACK}),
            Step.ARCHIVED,
            committee,
            _("Archive (销号)"),
            condition=_may_close,
            condition_message=_(
                "A case is closed off only when solved, or concluded by the committee, and "
                "after its call-back."
            ),
            notify=("constituent",),
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
        "sample_callback": _("Sampled for a call-back"),
    },
)
