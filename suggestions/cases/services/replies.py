"""回复 and 反馈: the unit's answer (final, or "being solved" under follow-up), the reply
the constituent reads, and the result told to the constituent."""

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base import clock
from suggestions.cases.models import Case, CaseRating, RatingSource, ReplyResult, Satisfaction
from suggestions.cases.services.common import (
    DEADLINE,
    finish,
    replied_on_time,
    set_deadline,
    start,
)
from suggestions.cases.services.extension import EXTENSION
from suggestions.shared import deadlines

# The longest a unit may put off its next answer on a case being solved.
FOLLOW_UP_MAX_DAYS = 366


@transaction.atomic
def case_reply(
    *, case_id: int, actor: AbstractBaseUser, result: str, reply: str, public_reply: str = ""
) -> Case:
    """回复: the unit's final answer (solved, or cannot be solved and why), with the reply
    the constituent reads on the status page."""
    move = start("reply", case_id=case_id, actor=actor)
    case = move.row
    if result not in {ReplyResult.SOLVED, ReplyResult.CANNOT}:
        move.error(
            "result",
            _(
                "Say whether it is solved or cannot be solved; a matter being solved is followed up."
            ),
        )
    case.reply = move.text("reply", reply, max_length=5000)
    case.public_reply = move.text("public_reply", public_reply, max_length=5000)
    move.check()
    case.result, case.replied_at = result, clock.now()
    case.replied_on_time = replied_on_time(case)
    case.extension_until, case.extension_reason = None, ""
    case.send_back_until = None
    # The call-back sweep considers every final reply once (callbacks.py).
    case.callback_on = timezone.localdate()
    set_deadline(case, None, {})
    changed = [
        "result",
        "reply",
        "public_reply",
        "replied_at",
        "replied_on_time",
        "send_back_until",
        "callback_on",
        *EXTENSION,
        *DEADLINE,
    ]
    return finish(move, changed=changed, data={"result": result})


@transaction.atomic
def case_reply_in_progress(
    *,
    case_id: int,
    actor: AbstractBaseUser,
    reply: str,
    public_reply: str,
    next_reply_on: dt.date | None,
) -> Case:
    """ "正在解决": the case stays open under follow-up, due again on the date the unit
    gives, reminded and escalated by the sweeps like any deadline."""
    move = start("reply_in_progress", case_id=case_id, actor=actor)
    case = move.row
    case.reply = move.text("reply", reply, max_length=5000)
    case.public_reply = move.text("public_reply", public_reply, max_length=5000)
    today = timezone.localdate()
    if next_reply_on is None:
        move.error("next_reply_on", _("Give the date of the next reply."))
    elif not today < next_reply_on <= today + dt.timedelta(days=FOLLOW_UP_MAX_DAYS):
        move.error("next_reply_on", _("Give a date after today and within a year."))
    move.check()
    case.result, case.replied_at = ReplyResult.IN_PROGRESS, clock.now()
    case.replied_on_time = replied_on_time(case)
    case.extension_until, case.extension_reason = None, ""
    case.send_back_until = None
    set_deadline(case, *deadlines.follow_up(start=today, until=next_reply_on))
    changed = [
        "result",
        "reply",
        "public_reply",
        "replied_at",
        "replied_on_time",
        "send_back_until",
        *EXTENSION,
        *DEADLINE,
    ]
    return finish(move, changed=changed, data={"next_reply_on": next_reply_on.isoformat()})


@transaction.atomic
def case_edit_public_reply(
    *, case_id: int, actor: AbstractBaseUser, public_reply: str, note: str = ""
) -> Case:
    """The committee corrects the reply the constituent reads, until they have rated it."""
    move = start("edit_public_reply", case_id=case_id, actor=actor)
    case = move.row
    previous = case.public_reply
    case.public_reply = move.text("public_reply", public_reply, max_length=5000)
    note = move.text("note", note, required=False)
    move.check()
    return finish(move, changed=["public_reply"], note=note, data={"previous": previous})


@transaction.atomic
def case_feedback(*, case_id: int, actor: AbstractBaseUser, satisfaction: str, note: str) -> Case:
    """反馈: the result told to the constituent, orally or in writing, and how they took it
    (the liaison's rating, kept apart from the constituent's own and the call-back's)."""
    move = start("feedback", case_id=case_id, actor=actor)
    case = move.row
    if satisfaction not in Satisfaction.values:
        move.error("satisfaction", _("Record whether the constituent is satisfied."))
    note = move.text("note", note)
    move.check()
    case.satisfaction = satisfaction
    CaseRating.objects.create(
        case=case,
        round=case.reopen_count,
        source=RatingSource.LIAISON,
        satisfaction=satisfaction,
        actor=actor,
    )
    return finish(move, changed=["satisfaction"], note=note, data={"satisfaction": satisfaction})
