"""The reply (答复): category A, B or C to each signer, an SMS, and the answer to a
source case through the case flow."""

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.base.flow import clean_text, raise_errors
from liaison.base.notifications.models import NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from suggestions.cases import services as case_services
from suggestions.models import IN_HANDS_OF_UNIT, Case
from suggestions.proposals import notices
from suggestions.proposals.models import ReplyCategory, Suggestion, SuggestionReply, SuggestionStep
from suggestions.proposals.services.common import DEADLINE, clear_deadline, finish, start

# The case reply that follows a suggestion's reply, by category.
CASE_RESULT = {ReplyCategory.A: "solved", ReplyCategory.B: "in_progress", ReplyCategory.C: "cannot"}


@transaction.atomic
def suggestion_reply(
    *,
    suggestion_id: int,
    actor: AbstractBaseUser,
    category: str,
    text: str,
    per_signer: dict[int, str] | None = None,
    expected_by: dt.date | None = None,
) -> Suggestion:
    """答复: A solved, B being solved or planned, C cannot be solved now (with the
    reason). Each signer gets the reply (``per_signer`` gives one their own text)
    and an SMS; a source case is answered through the case flow."""
    move = start("reply", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    errors = move.errors
    if category not in ReplyCategory.values:
        errors["category"] = [_("Choose category A, B or C.")]
    elif suggestion.step == SuggestionStep.FOLLOW_UP and category == ReplyCategory.B:
        errors["category"] = [
            _("A suggestion followed up is answered again when solved (A) or not (C).")
        ]
    text = clean_text(errors, "text", text, max_length=10000)
    signers = list(suggestion.signings.select_related("representative").order_by("-is_lead", "id"))
    texts = {}
    for rep_id, own in (per_signer or {}).items():
        if rep_id not in {s.representative_id for s in signers}:
            errors["per_signer"] = [_("Reply only to the representatives who signed it.")]
            break
        texts[rep_id] = clean_text(errors, "per_signer", own, max_length=10000)
    today = timezone.localdate()
    if category == ReplyCategory.B and expected_by is not None and expected_by <= today:
        errors["expected_by"] = [_("Give a date after today.")]
    raise_errors(errors)
    now = timezone.now()
    SuggestionReply.objects.bulk_create(
        [
            SuggestionReply(
                suggestion=suggestion,
                round=suggestion.round,
                representative_id=signing.representative_id,
                category=category,
                text=texts.get(signing.representative_id, text),
                replied_at=now,
                replied_by=actor,
            )
            for signing in signers
        ]
    )
    if suggestion.first_replied_at is None:
        suggestion.first_replied_at = now
        suggestion.replied_on_time = not suggestion.is_overdue(today)
    suggestion.replied_at, suggestion.reply_category = now, category
    suggestion.follow_up_until = expected_by if category == ReplyCategory.B else None
    data = {"category": category, "round": suggestion.round, "deadline": _iso(suggestion.deadline)}
    clear_deadline(suggestion)
    body = gettext("%(what)s has been answered (%(category)s). Please rate the reply.") % {
        "what": notices.label(suggestion),
        "category": ReplyCategory(category).label,
    }
    notifications_enqueue(
        notifications=notices.to_signers(
            suggestion,
            kind=NotificationKind.SUGGESTION_REPLIED,
            key=f"r{suggestion.round}",
            title=gettext("Your suggestion has been answered"),
            body=body,
            due=today,
        )
    )
    _answer_cases(suggestion, actor=actor, category=category, text=text)
    changed = [
        "first_replied_at",
        "replied_on_time",
        "replied_at",
        "reply_category",
        "follow_up_until",
        *DEADLINE,
    ]
    return finish(move, changed=changed, data=data)


def _answer_cases(
    suggestion: Suggestion, *, actor: AbstractBaseUser, category: str, text: str
) -> None:
    """The station's case (and those of suggestions merged into this one) gets the
    answer through the case flow, so the constituent hears it."""
    case_ids = Suggestion.objects.filter(
        Q(pk=suggestion.pk) | Q(merged_into=suggestion), source_case__isnull=False
    ).values("source_case_id")
    waiting = Case.objects.filter(pk__in=case_ids, step__in=IN_HANDS_OF_UNIT)
    # The constituent reads the suggestion's answer; a B answer keeps the case under
    # follow-up until the date the unit gave (three months if it gave none).
    next_reply_on = suggestion.follow_up_until or timezone.localdate() + dt.timedelta(days=90)
    for case_id in waiting.values_list("pk", flat=True):
        if category == ReplyCategory.B:
            case_services.case_reply_in_progress(
                case_id=case_id,
                actor=actor,
                reply=text,
                public_reply=text,
                next_reply_on=next_reply_on,
            )
        else:
            case_services.case_reply(
                case_id=case_id,
                actor=actor,
                result=CASE_RESULT[category],
                reply=text,
                public_reply=text,
            )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
