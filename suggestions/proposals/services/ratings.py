"""背靠背 ratings, and what the committee decides once the reply is rated:
re-handling after 不满意, following a category B reply up, or closing (办结)."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base.flow import IllegalTransition, NotAllowed, clean_text, raise_errors
from liaison.base.jurisdiction import settings_for
from liaison.base.scopes import scope_of
from representatives.models import Representative
from suggestions.proposals.flow import SUGGESTIONS, committee
from suggestions.proposals.models import Rating, Suggestion, SuggestionRating
from suggestions.proposals.services.common import (
    DEADLINE,
    ESCALATION,
    finish,
    reset_escalation,
    start,
)
from suggestions.shared import deadlines

_RATING_ORDER = [Rating.UNSATISFIED, Rating.BASIC, Rating.SATISFIED]


@transaction.atomic
def suggestion_rate(
    *,
    suggestion_id: int,
    actor: AbstractBaseUser,
    rating: str,
    representative: Representative | None = None,
    note: str = "",
) -> Suggestion:
    """背靠背: each signer rates the reply they got, directly (or the committee enters
    the paper form). Once every signer has rated, the suggestion is rated with the
    worst rating given."""
    move = start("rate", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    own = scope_of(actor).representative_id
    rep_id = representative.pk if representative is not None else own
    errors = move.errors
    if rating not in Rating.values:
        errors["rating"] = [_("Choose satisfied, basically satisfied or unsatisfied.")]
    signers = set(suggestion.signings.values_list("representative_id", flat=True))
    if rep_id not in signers:
        errors["representative"] = [_("Choose a representative who signed the suggestion.")]
    elif rep_id != own and not committee(actor, suggestion):
        raise NotAllowed(_("Representatives rate only their own replies."))
    note = clean_text(errors, "note", note, required=False)
    raise_errors(errors)
    try:
        with transaction.atomic():
            SuggestionRating.objects.create(
                suggestion=suggestion,
                round=suggestion.round,
                representative_id=rep_id,
                rating=rating,
                note=note,
                recorded_by=actor,
            )
    except IntegrityError as error:
        raise IllegalTransition(_("This reply has already been rated.")) from error
    given = list(
        SuggestionRating.objects.filter(suggestion=suggestion, round=suggestion.round).values_list(
            "rating", flat=True
        )
    )
    data = {"representative": rep_id, "rating": rating, "round": suggestion.round}
    if len(given) < len(signers):
        SUGGESTIONS.event(
            suggestion, kind="rate", actor=actor, from_step=suggestion.step, note=note, data=data
        ).save()
        return suggestion
    suggestion.satisfaction = min(given, key=_RATING_ORDER.index)
    data["outcome"] = suggestion.satisfaction
    return finish(move, changed=["satisfaction"], note=note, data=data)


@transaction.atomic
def suggestion_rehandle(*, suggestion_id: int, actor: AbstractBaseUser, note: str) -> Suggestion:
    """不满意: the committee orders the unit to handle it again and answer within the
    re-handling limit (the unsatisfied reply and rating stay in the history)."""
    move = start("rehandle", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    errors = move.errors
    note = clean_text(errors, "note", note)
    raise_errors(errors)
    rules = settings_for(suggestion.region_id)
    suggestion.deadline, suggestion.deadline_explanation = deadlines.in_months(
        start=timezone.localdate(),
        months=rules.suggestion_rehandle_months,
        rule="suggestion_rehandle",
    )
    suggestion.round += 1
    suggestion.rehandle_count += 1
    reset_escalation(suggestion)
    changed = ["round", "rehandle_count", *ESCALATION, *DEADLINE]
    return finish(move, changed=changed, note=note)


@transaction.atomic
def suggestion_follow_up(
    *, suggestion_id: int, actor: AbstractBaseUser, note: str = ""
) -> Suggestion:
    """Category B: followed until the unit answers again when it is solved."""
    move = start("follow_up", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    errors = move.errors
    note = clean_text(errors, "note", note, required=False)
    raise_errors(errors)
    suggestion.round += 1
    if suggestion.follow_up_until:
        suggestion.deadline = suggestion.follow_up_until
        suggestion.deadline_explanation = {
            "rule": "suggestion_follow_up",
            "start": timezone.localdate().isoformat(),
            "date": suggestion.follow_up_until.isoformat(),
            "skipped": [],
            "weekday_only_years": [],
        }
    reset_escalation(suggestion)
    changed = ["round", *ESCALATION, *DEADLINE]
    return finish(move, changed=changed, note=note)


@transaction.atomic
def suggestion_close(*, suggestion_id: int, actor: AbstractBaseUser, note: str = "") -> Suggestion:
    """办结: the committee closes a rated suggestion."""
    move = start("close", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    errors = move.errors
    note = clean_text(errors, "note", note, required=False)
    raise_errors(errors)
    suggestion.closed_at = timezone.now()
    return finish(move, changed=["closed_at"], note=note)
