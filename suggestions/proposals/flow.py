"""The suggestion flow as one table on the flow engine (liaison/base/flow.py):
name → from-steps → to-step → who may → what must be written.

Deny by default. ``SUGGESTIONS.available(user, suggestion)`` is what pages and the API
offer; the services in ``services/`` start every move from this same table.

Who is who (the user's ``Scope``): the *committee* whose region contains
the suggestion's congress (an administrator acts as a committee); staff of the
*lead unit*; staff of a *co-unit*; a *signer*, a representative who signed it.
"""

from django.utils.translation import gettext_lazy as _

from liaison.base.flow import Flow, Refusals, Transition, any_of
from liaison.base.scopes import scope_of
from suggestions.proposals.models import (
    WITH_UNIT,
    Extension,
    Rating,
    ReplyCategory,
    Suggestion,
    SuggestionCoUnit,
    SuggestionRating,
    SuggestionSigner,
)
from suggestions.proposals.models import SuggestionStep as S


def committee(user, suggestion: Suggestion) -> bool:
    return scope_of(user).covers_region(suggestion.region_id)


def lead_unit(user, suggestion: Suggestion) -> bool:
    return suggestion.lead_unit_id is not None and (
        suggestion.lead_unit_id in scope_of(user).unit_ids
    )


def co_unit(user, suggestion: Suggestion) -> bool:
    units = scope_of(user).unit_ids
    return bool(units) and (
        SuggestionCoUnit.objects.filter(suggestion=suggestion, unit_id__in=units).exists()
    )


def signer(user, suggestion: Suggestion) -> bool:
    representative_id = scope_of(user).representative_id
    return representative_id is not None and (
        SuggestionSigner.objects.filter(
            suggestion=suggestion, representative_id=representative_id
        ).exists()
    )


def rating_owed(user, suggestion: Suggestion) -> bool:
    """A signer who has not yet rated this round's reply, or a committee while any
    signer has not (the paper form)."""
    rated = SuggestionRating.objects.filter(suggestion=suggestion, round=suggestion.round)
    own = scope_of(user).representative_id
    if (
        own is not None
        and signer(user, suggestion)
        and not rated.filter(representative_id=own).exists()
    ):
        return True
    return committee(user, suggestion) and (
        SuggestionSigner.objects.filter(suggestion=suggestion)
        .exclude(representative_id__in=rated.values("representative_id"))
        .exists()
    )


def opinion_owed(user, suggestion: Suggestion) -> bool:
    """A co-unit that has not yet sent its opinion."""
    return SuggestionCoUnit.objects.filter(
        suggestion=suggestion, unit_id__in=scope_of(user).unit_ids, opinion_at__isnull=True
    ).exists()


BEFORE_HANDLING = frozenset({S.FILED, S.ACCEPTED, S.ASSIGNED})
UNIT_OWES_REPLY = frozenset(WITH_UNIT)
FIRST_CLOCK = frozenset({S.ASSIGNED, S.HANDLING})
CONTACT_STEPS = frozenset({*WITH_UNIT, S.REPLIED, S.RATED, S.FOLLOW_UP})
PUBLISHABLE = frozenset(set(S.values) - {S.FILED, S.RETURNED, S.MERGED})


def _may_close(s: Suggestion) -> bool:
    if s.reply_category == ReplyCategory.B and s.satisfaction != Rating.UNSATISFIED:
        return False
    return s.satisfaction != Rating.UNSATISFIED or s.rehandle_count > 0


SUGGESTIONS = Flow(
    name="suggestion",
    model=Suggestion,
    refusals=Refusals(
        busy=_("Someone else is changing this suggestion; try again in a moment."),
        wrong_step=_("“%(action)s” is not possible while the suggestion is “%(step)s”."),
        not_allowed=_("You may not “%(action)s” this suggestion."),
    ),
    # Returned and merged suggestions are read-only; a closed one may still be published.
    closed=frozenset({S.RETURNED, S.MERGED}),
    transitions=(
        Transition("accept", frozenset({S.FILED}), S.ACCEPTED, committee, _("Accept")),
        Transition(
            "return",
            frozenset({S.FILED}),
            S.RETURNED,
            committee,
            _("Return"),
            required=frozenset({"note"}),
        ),
        Transition("merge", BEFORE_HANDLING, S.MERGED, committee, _("Merge into another")),
        Transition("assign", frozenset({S.ACCEPTED}), S.ASSIGNED, committee, _("Assign to units")),
        Transition(
            "send_back",
            FIRST_CLOCK,
            S.ACCEPTED,
            lead_unit,
            _("Send back for reassignment"),
            condition=lambda s: s.round == 1,
            condition_message=_("A suggestion being re-handled cannot be sent back."),
            required=frozenset({"reason"}),
        ),
        Transition(
            "start", frozenset({S.ASSIGNED}), S.HANDLING, lead_unit, _("Start handling (三定)")
        ),
        Transition(
            "record_contact",
            CONTACT_STEPS,
            None,
            lead_unit,
            _("Record a contact with the representative (三访)"),
        ),
        Transition(
            "counit_opinion",
            UNIT_OWES_REPLY,
            None,
            co_unit,
            _("Send the co-unit's opinion"),
            owed=opinion_owed,
        ),
        Transition(
            "request_extension",
            FIRST_CLOCK,
            None,
            lead_unit,
            _("Request the six-month extension"),
            condition=lambda s: s.extension == Extension.NONE,
            condition_message=_("An extension has already been requested for this suggestion."),
            required=frozenset({"reason"}),
        ),
        Transition(
            "approve_extension",
            FIRST_CLOCK,
            None,
            committee,
            _("Approve the extension"),
            condition=lambda s: s.extension == Extension.REQUESTED,
            condition_message=_("No extension is waiting for a decision."),
        ),
        Transition(
            "refuse_extension",
            FIRST_CLOCK,
            None,
            committee,
            _("Refuse the extension"),
            condition=lambda s: s.extension == Extension.REQUESTED,
            condition_message=_("No extension is waiting for a decision."),
            required=frozenset({"note"}),
        ),
        Transition(
            "reply",
            frozenset({S.HANDLING, S.REHANDLING, S.FOLLOW_UP}),
            S.REPLIED,
            lead_unit,
            _("Reply"),
        ),
        # Moves to RATED once every signer has rated; the rating is the worst given.
        Transition(
            "rate",
            frozenset({S.REPLIED}),
            S.RATED,
            any_of(signer, committee),
            _("Rate"),
            owed=rating_owed,
        ),
        Transition(
            "rehandle",
            frozenset({S.RATED}),
            S.REHANDLING,
            committee,
            _("Order re-handling"),
            condition=lambda s: s.satisfaction == Rating.UNSATISFIED,
            condition_message=_("Only a suggestion rated unsatisfied is re-handled."),
            required=frozenset({"note"}),
        ),
        Transition(
            "follow_up",
            frozenset({S.RATED}),
            S.FOLLOW_UP,
            committee,
            _("Follow up until solved"),
            condition=lambda s: (
                s.reply_category == ReplyCategory.B and s.satisfaction != Rating.UNSATISFIED
            ),
            condition_message=_(
                "Only a category B reply that was not rated unsatisfied is followed up."
            ),
        ),
        Transition(
            "close",
            frozenset({S.RATED}),
            S.CLOSED,
            committee,
            _("Close"),
            condition=_may_close,
            condition_message=_(
                "A category B reply is followed up until solved, and an unsatisfied one is "
                "re-handled first."
            ),
        ),
        Transition(
            "publish",
            PUBLISHABLE,
            None,
            committee,
            _("Make public"),
            condition=lambda s: not s.published,
            condition_message=_("The suggestion is already published."),
        ),
        Transition(
            "unpublish",
            PUBLISHABLE,
            None,
            committee,
            _("Withdraw from public view"),
            condition=lambda s: s.published,
            condition_message=_("The suggestion is not published."),
            required=frozenset({"note"}),
        ),
    ),
    # History rows that are not moves of the table.
    other_events={
        "file": _("Filed the suggestion"),
        "absorb": _("Took in a merged suggestion"),
        "excellent": _("Chosen as an excellent suggestion"),
        "escalate": _("Escalated"),
        "recount_deadline": _("Deadline counted again on the official calendar"),
    },
)


def may_file_for(user, representative) -> bool:
    """A representative files their own suggestions; a committee over the
    representative's region may enter one on their behalf (e.g. from paper)."""
    scope = scope_of(user)
    return scope.representative_id == representative.pk or scope.covers_region(
        representative.region_id
    )
