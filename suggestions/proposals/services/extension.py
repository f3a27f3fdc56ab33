"""The extension: the lead unit asks for the longer limit (the signers are told why);
the committee approves or refuses."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from liaison.base.flow import clean_text, raise_errors
from liaison.base.jurisdiction import settings_for
from liaison.base.notifications.models import NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from suggestions.proposals import notices
from suggestions.proposals.models import Extension, Suggestion
from suggestions.proposals.services.common import DEADLINE, finish, start
from suggestions.shared import deadlines


@transaction.atomic
def suggestion_request_extension(
    *, suggestion_id: int, actor: AbstractBaseUser, reason: str
) -> Suggestion:
    """A wide or hard matter: the unit tells the representatives why and asks the
    committee for the six-month limit."""
    move = start("request_extension", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    errors = move.errors
    reason = clean_text(errors, "reason", reason, max_length=500)
    raise_errors(errors)
    suggestion.extension, suggestion.extension_reason = Extension.REQUESTED, reason
    body = gettext(
        "%(what)s: %(unit)s needs more time to reply and has asked the committee for an "
        "extension. Reason: %(reason)s"
    ) % {"what": notices.label(suggestion), "unit": suggestion.lead_unit.name, "reason": reason}
    notifications_enqueue(
        notifications=notices.to_signers(
            suggestion,
            kind=NotificationKind.SUGGESTION_EXTENSION,
            key="request",
            title=gettext("Reply to your suggestion extended"),
            body=body,
            due=timezone.localdate(),
        )
    )
    return finish(move, changed=["extension", "extension_reason"], note=reason)


@transaction.atomic
def suggestion_approve_extension(
    *, suggestion_id: int, actor: AbstractBaseUser, note: str = ""
) -> Suggestion:
    """The committee approves: the reply is due six months after assignment."""
    move = start("approve_extension", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    errors = move.errors
    note = clean_text(errors, "note", note, required=False)
    raise_errors(errors)
    previous = suggestion.deadline
    rules = settings_for(suggestion.region_id)
    suggestion.deadline, suggestion.deadline_explanation = deadlines.in_months(
        start=timezone.localtime(suggestion.assigned_at).date(),
        months=rules.suggestion_extended_reply_months,
        rule="suggestion_extended",
    )
    suggestion.deadline_explanation["reason"] = suggestion.extension_reason
    suggestion.extension = Extension.APPROVED
    return finish(
        move,
        changed=["extension", *DEADLINE],
        note=note,
        data={"previous_deadline": previous.isoformat() if previous else None},
    )


@transaction.atomic
def suggestion_refuse_extension(
    *, suggestion_id: int, actor: AbstractBaseUser, note: str
) -> Suggestion:
    move = start("refuse_extension", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    errors = move.errors
    note = clean_text(errors, "note", note)
    raise_errors(errors)
    suggestion.extension = Extension.REFUSED
    return finish(move, changed=["extension"], note=note)
