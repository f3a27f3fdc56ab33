"""回复 and 反馈: the unit's answer, and the result told to the constituent."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suggestions.cases.models import Case, ReplyResult, Satisfaction
from suggestions.cases.services.common import (
    DEADLINE,
    finish,
    replied_on_time,
    set_deadline,
    start,
)
from suggestions.cases.services.extension import EXTENSION


@transaction.atomic
def case_reply(*, case_id: int, actor: AbstractBaseUser, result: str, reply: str) -> Case:
    """回复: the unit's answer (solved, in progress, or cannot be solved and why)."""
    move = start("reply", case_id=case_id, actor=actor)
    case = move.row
    if result not in {ReplyResult.SOLVED, ReplyResult.IN_PROGRESS, ReplyResult.CANNOT}:
        move.error("result", _("Say whether it is solved, being solved, or cannot be solved."))
    case.reply = move.text("reply", reply, max_length=5000)
    move.check()
    case.result, case.replied_at = result, timezone.now()
    case.replied_on_time = replied_on_time(case)
    case.extension_until, case.extension_reason = None, ""
    set_deadline(case, None, {})
    changed = ["result", "reply", "replied_at", "replied_on_time", *EXTENSION, *DEADLINE]
    return finish(move, changed=changed, data={"result": result})


@transaction.atomic
def case_feedback(*, case_id: int, actor: AbstractBaseUser, satisfaction: str, note: str) -> Case:
    """反馈: the result told to the constituent, orally or in writing, and how they took it."""
    move = start("feedback", case_id=case_id, actor=actor)
    case = move.row
    if satisfaction not in Satisfaction.values:
        move.error("satisfaction", _("Record whether the constituent is satisfied."))
    note = move.text("note", note)
    move.check()
    case.satisfaction = satisfaction
    return finish(move, changed=["satisfaction"], note=note, data={"satisfaction": satisfaction})
