"""How a case ends or goes back: concluded by the committee, archived (销号), reopened
after unsatisfied feedback, merged into another, or withdrawn."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base import clock
from liaison.base.flow import IllegalTransition, NotAllowed
from liaison.base.jurisdiction import settings_for
from suggestions.cases.flow import CASES
from suggestions.cases.models import Case, Disposition, Step
from suggestions.cases.services.common import DEADLINE, check_units, finish, set_deadline, start
from suggestions.shared import deadlines
from suggestions.shared.models import HandlingUnit


@transaction.atomic
def case_archive(
    *,
    case_id: int,
    actor: AbstractBaseUser,
    public_summary: str = "",
    published: bool = False,
    note: str = "",
) -> Case:
    """归档 (销号): closed off once solved, or concluded by the committee, and after its
    call-back; the case is read-only from now on."""
    move = start("archive", case_id=case_id, actor=actor)
    case = move.row
    case.public_summary = move.text(
        "public_summary", public_summary, required=published, max_length=2000
    )
    note = move.text("note", note)
    move.check()
    case.published, case.closed_at = published, clock.now()
    case.callback_on = None  # a closed case is not sampled any more
    changed = ["public_summary", "published", "closed_at", "callback_on"]
    return finish(move, changed=changed, note=note)


@transaction.atomic
def case_conclude(*, case_id: int, actor: AbstractBaseUser, conclusion: str) -> Case:
    """The committee's conclusion that the matter cannot be solved now, with the reason: it
    ends a follow-up, lets the case be closed off, and is shown to the constituent."""
    case = CASES.lock([case_id])
    if not case:
        raise Case.DoesNotExist(case_id)
    case = case[0]
    name = "conclude_follow_up" if case.step == Step.FOLLOW_UP else "conclude"
    move = start(name, case_id=case_id, actor=actor, case=case)
    case.conclusion = move.text("conclusion", conclusion)
    move.check()
    case.concluded_at, case.concluded_by = clock.now(), actor
    changed = ["conclusion", "concluded_at", "concluded_by"]
    if name == "conclude_follow_up":
        # The follow-up ends: no next reply is due, and the reply counts as final.
        case.callback_on = timezone.localdate()
        set_deadline(case, None, {})
        changed += ["callback_on", *DEADLINE]
    return finish(move, changed=changed, note=case.conclusion)


@transaction.atomic
def case_reopen(
    *,
    case_id: int,
    actor: AbstractBaseUser,
    note: str,
    unit: HandlingUnit | None = None,
    workdays: int | None = None,
) -> Case:
    """Unsatisfied feedback: back to handling with a new deadline (the old reply stays in history)."""
    move = start("reopen", case_id=case_id, actor=actor)
    note = move.text("note", note)
    return reopen(move, unit=unit, workdays=workdays, note=note)


def reopen(move, *, unit: HandlingUnit | None, workdays: int | None, note: str) -> Case:
    """Back to the unit with a new deadline; the old reply and rating stay in history."""
    case = move.row
    if unit is not None:
        check_units(move, case, unit)
    unit = unit or case.lead_unit
    if unit is None and case.disposition != Disposition.SUGGESTION:
        move.error("unit", _("Choose the unit that handles the case again."))
    move.check()
    rules = settings_for(case.region_id)
    set_deadline(
        case,
        *deadlines.in_workdays(
            start=timezone.localdate(),
            workdays=workdays or rules.reply_workdays,
            rule="rehandle",
        ),
    )
    data = {"previous_result": case.result, "previous_reply": case.reply}
    case.lead_unit = unit
    case.result, case.reply, case.replied_at, case.satisfaction = "", "", None, ""
    case.public_reply = ""
    case.conclusion, case.concluded_at, case.concluded_by = "", None, None
    case.callback_on = None
    case.replied_on_time = None
    case.reopen_count += 1
    changed = [
        "lead_unit",
        "result",
        "reply",
        "public_reply",
        "replied_at",
        "replied_on_time",
        "satisfaction",
        "conclusion",
        "concluded_at",
        "concluded_by",
        "callback_on",
        "reopen_count",
    ]
    return finish(move, changed=changed + DEADLINE, note=note, data=data)


@transaction.atomic
def case_merge(*, case_id: int, actor: AbstractBaseUser, into_id: int, note: str = "") -> Case:
    """A duplicate joins another open case and stops here; its history stays."""
    if into_id == case_id:
        raise ValidationError({"into": _("A case cannot be merged into itself.")})
    # Both rows locked in id order, so two opposite merges cannot deadlock.
    locked = {c.pk: c for c in CASES.lock([case_id, into_id])}
    if into_id not in locked:
        raise ValidationError({"into": _("No such case.")})
    target = locked[into_id]
    move = start("merge", case_id=case_id, actor=actor, case=locked.get(case_id))
    case = move.row
    if target.is_closed or target.step not in move.transition.sources:
        raise IllegalTransition(_("A case can only be merged into an open case not yet replied."))
    if not move.transition.allowed(actor, target):
        raise NotAllowed(_("You cannot act on the case to merge into."))
    note = move.text("note", note)
    move.check()
    case.merged_into, case.closed_at = target, clock.now()
    set_deadline(case, None, {})
    CASES.event(
        target,
        kind="absorb",
        actor=actor,
        from_step=target.step,
        data={"merged": case.pk, "tracking_code": case.tracking_code},
    ).save()
    changed = ["merged_into", "closed_at", *DEADLINE]
    return finish(move, changed=changed, note=note, data={"into": target.pk})


@transaction.atomic
def case_withdraw(*, case_id: int, actor: AbstractBaseUser, reason: str) -> Case:
    move = start("withdraw", case_id=case_id, actor=actor)
    case = move.row
    reason = move.text("reason", reason)
    move.check()
    case.closed_at = clock.now()
    set_deadline(case, None, {})
    return finish(move, changed=["closed_at", *DEADLINE], note=reason)
