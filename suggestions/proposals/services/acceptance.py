"""The committee's first decision on a filed suggestion: accept it (立案, with its
category and the key flag), return it (退回, with the reason), or merge it into an
identical one, whose signers it joins."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base.flow import IllegalTransition, NotAllowed, clean_text, raise_errors
from suggestions.models import CaseCategory
from suggestions.proposals.flow import SUGGESTIONS, committee
from suggestions.proposals.models import ReturnReason, Suggestion, SuggestionSigner, SuggestionStep
from suggestions.proposals.services.common import (
    DEADLINE,
    clear_deadline,
    finish,
    set_key,
    start,
)


@transaction.atomic
def suggestion_accept(
    *,
    suggestion_id: int,
    actor: AbstractBaseUser,
    category: CaseCategory | None = None,
    is_key: bool | None = None,
    key_leader: str = "",
    key_leader_name: str = "",
    note: str = "",
) -> Suggestion:
    """立案: the committee accepts the suggestion (and may classify it and mark it key)."""
    move = start("accept", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    errors = move.errors
    if category is not None:
        if not category.active:
            errors["category"] = [_("Choose an active category.")]
        suggestion.category = category
    if suggestion.category is None:
        errors.setdefault("category", [_("Choose a category.")])
    set_key(suggestion, errors, is_key, key_leader, key_leader_name)
    note = clean_text(errors, "note", note, required=False)
    raise_errors(errors)
    suggestion.accepted_at = timezone.now()
    changed = ["category", "is_key", "key_leader", "key_leader_name", "accepted_at"]
    return finish(move, changed=changed, note=note)


@transaction.atomic
def suggestion_return(
    *, suggestion_id: int, actor: AbstractBaseUser, reason: str, note: str
) -> Suggestion:
    """退回: not accepted as a suggestion, with the reason told to the representative."""
    move = start("return", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    errors = move.errors
    if reason not in ReturnReason.values:
        errors["reason"] = [_("Choose why the suggestion is returned.")]
    note = clean_text(errors, "note", note)
    raise_errors(errors)
    suggestion.return_reason, suggestion.closed_at = reason, timezone.now()
    clear_deadline(suggestion)
    return finish(
        move,
        changed=["return_reason", "closed_at", *DEADLINE],
        note=note,
        data={"reason": reason},
    )


@transaction.atomic
def suggestion_merge(
    *, suggestion_id: int, actor: AbstractBaseUser, into_id: int, note: str = ""
) -> Suggestion:
    """Identical suggestions are merged: the signers join the other one and are
    answered together with it."""
    if into_id == suggestion_id:
        raise ValidationError({"into": _("A suggestion cannot be merged into itself.")})
    locked = {s.pk: s for s in SUGGESTIONS.lock([suggestion_id, into_id])}
    if into_id not in locked:
        raise ValidationError({"into": _("No such suggestion.")})
    target = locked[into_id]
    move = start(
        "merge", suggestion_id=suggestion_id, actor=actor, suggestion=locked.get(suggestion_id)
    )
    suggestion = move.row
    open_targets = {
        SuggestionStep.FILED,
        SuggestionStep.ACCEPTED,
        SuggestionStep.ASSIGNED,
        SuggestionStep.HANDLING,
    }
    if target.step not in open_targets:
        raise IllegalTransition(_("A suggestion can only be merged into one not yet answered."))
    if not committee(actor, target):
        raise NotAllowed(_("You cannot act on the suggestion to merge into."))
    errors = move.errors
    note = clean_text(errors, "note", note, required=False)
    raise_errors(errors)
    present = set(target.signings.values_list("representative_id", flat=True))
    joining = [
        rep_id
        for rep_id in suggestion.signings.values_list("representative_id", flat=True)
        if rep_id not in present
    ]
    SuggestionSigner.objects.bulk_create(
        [
            SuggestionSigner(suggestion=target, representative_id=rep_id, merged_from=suggestion)
            for rep_id in joining
        ]
    )
    suggestion.merged_into, suggestion.closed_at = target, timezone.now()
    clear_deadline(suggestion)
    SUGGESTIONS.event(
        target,
        kind="absorb",
        actor=actor,
        from_step=target.step,
        data={"merged": suggestion.pk, "number": suggestion.number, "signers": joining},
    ).save()
    return finish(
        move,
        changed=["merged_into", "closed_at", *DEADLINE],
        note=note,
        data={"into": target.pk, "number": target.number},
    )
