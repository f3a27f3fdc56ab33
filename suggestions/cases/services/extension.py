"""The extension: the lead unit asks for more time with a reason; the committee decides."""

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suggestions.cases.models import Case
from suggestions.cases.services.common import DEADLINE, finish, set_deadline, start
from suggestions.shared import deadlines

EXTENSION = ["extension_until", "extension_reason"]


@transaction.atomic
def case_request_extension(
    *, case_id: int, actor: AbstractBaseUser, until: dt.date, reason: str
) -> Case:
    """The lead unit asks for more time, with a reason; the committee decides."""
    move = start("request_extension", case_id=case_id, actor=actor)
    case = move.row
    reason = move.text("reason", reason, max_length=500)
    if until is None or (case.deadline and until <= case.deadline):
        move.error("until", _("Ask for a date after the current deadline."))
    move.check()
    case.extension_until, case.extension_reason = until, reason
    return finish(move, changed=EXTENSION, note=reason, data={"until": until.isoformat()})


@transaction.atomic
def case_approve_extension(*, case_id: int, actor: AbstractBaseUser, note: str = "") -> Case:
    move = start("approve_extension", case_id=case_id, actor=actor)
    case = move.row
    note = move.text("note", note)
    move.check()
    previous = case.deadline
    set_deadline(
        case,
        *deadlines.extended(
            start=previous or timezone.localdate(),
            until=case.extension_until,
            reason=case.extension_reason,
        ),
    )
    case.extension_until, case.extension_reason = None, ""
    return finish(
        move,
        changed=[*EXTENSION, *DEADLINE],
        note=note,
        data={"previous_deadline": previous.isoformat() if previous else None},
    )


@transaction.atomic
def case_refuse_extension(*, case_id: int, actor: AbstractBaseUser, note: str) -> Case:
    move = start("refuse_extension", case_id=case_id, actor=actor)
    case = move.row
    note = move.text("note", note)
    move.check()
    requested = case.extension_until
    case.extension_until, case.extension_reason = None, ""
    return finish(move, changed=EXTENSION, note=note, data={"requested": requested.isoformat()})
