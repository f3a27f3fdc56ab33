"""The suggestion flow as one table: name → from-steps → to-step → who may.

Deny by default: a move not in the table, from a step not in its sources, by a
user its ``allowed`` refuses, or with its ``condition`` unmet, does not happen.
``available_transitions`` is what pages and the API offer; the services in
``services/`` check the same table before they write.

Who is who (``liaison.scopes.scope_of``): the *committee* whose region contains
the suggestion's congress (an administrator acts as a committee); staff of the
*lead unit*; staff of a *co-unit*; a *signer*, a representative who signed it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from liaison.base.scopes import scope_of
from suggestions.proposals.models import (
    CLOSED_STEPS,
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
    scope = scope_of(user)
    return scope.is_admin or any(
        low <= suggestion.region_id <= high for low, high in scope.region_bounds
    )


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


def any_of(*predicates: Callable) -> Callable:
    def allowed(user, suggestion: Suggestion) -> bool:
        return any(predicate(user, suggestion) for predicate in predicates)

    allowed.__doc__ = " or ".join(p.__name__ for p in predicates)
    return allowed


def always(suggestion: Suggestion) -> bool:
    return True


def anyone(user, suggestion: Suggestion) -> bool:
    return True


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


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    # None: the step stays (contacts, opinions, extensions, publication).
    target: str | None
    allowed: Callable[..., bool]
    label: str
    condition: Callable[[Suggestion], bool] = always
    condition_message: str = ""
    # Offered to a user only while they have something left to do by it (a rating
    # not yet given); the service refuses a second one with IllegalTransition.
    owed: Callable[..., bool] = anyone


BEFORE_HANDLING = frozenset({S.FILED, S.ACCEPTED, S.ASSIGNED})
UNIT_OWES_REPLY = frozenset(WITH_UNIT)
FIRST_CLOCK = frozenset({S.ASSIGNED, S.HANDLING})
CONTACT_STEPS = frozenset({*WITH_UNIT, S.REPLIED, S.RATED, S.FOLLOW_UP})
PUBLISHABLE = frozenset(set(S.values) - {S.FILED, S.RETURNED, S.MERGED})


def _may_close(s: Suggestion) -> bool:
    if s.reply_category == ReplyCategory.B and s.satisfaction != Rating.UNSATISFIED:
        return False
    return s.satisfaction != Rating.UNSATISFIED or s.rehandle_count > 0


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("accept", frozenset({S.FILED}), S.ACCEPTED, committee, _("Accept")),
        Transition("return", frozenset({S.FILED}), S.RETURNED, committee, _("Return")),
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
        ),
    ]
}


def may_file_for(user, representative) -> bool:
    """A representative files their own suggestions; a committee over the
    representative's region may enter one on their behalf (e.g. from paper)."""
    scope = scope_of(user)
    return (
        scope.is_admin
        or scope.representative_id == representative.pk
        or any(low <= representative.region_id <= high for low, high in scope.region_bounds)
    )


def available_transitions(user, suggestion: Suggestion) -> list[Transition]:
    if suggestion.step in CLOSED_STEPS and suggestion.step != S.CLOSED:
        return []
    return [
        transition
        for transition in TRANSITIONS.values()
        if suggestion.step in transition.sources
        and transition.condition(suggestion)
        and transition.allowed(user, suggestion)
        and transition.owed(user, suggestion)
    ]
