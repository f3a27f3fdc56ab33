"""While a unit handles a case: 三定 (handler and plan), the committee's supervision
(督办), and the system's escalation of an overdue case."""

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suggestions.cases import sweeps
from suggestions.cases.models import Case
from suggestions.cases.services.common import finish, start

# The committee's own scale of pressure on a unit when it supervises by hand
# (case_supervise: 督办 → 约谈 → 专题询问 and so on), its own judgement. Not the sweeps'
# ladder: the daily sweeps raise an overdue case by themselves only up to the
# jurisdiction's ``escalation_levels`` (JurisdictionSettings, 2 by default), which may
# not exceed this scale. Both write ``escalation_level``, which never goes down.
MAX_ESCALATION_LEVEL = 5


@transaction.atomic
def case_supervise(
    *,
    case_id: int,
    actor: AbstractBaseUser,
    note: str,
    is_key: bool | None = None,
    meeting: bool = False,
    escalation_level: int | None = None,
) -> Case:
    """督办: the committee presses the unit: a note, or a coordination meeting it called;
    it may also raise the escalation level (never lower it: the sweeps count on it)."""
    move = start("supervise", case_id=case_id, actor=actor)
    case = move.row
    note = move.text("note", note)
    if escalation_level is not None and not (
        case.escalation_level <= escalation_level <= MAX_ESCALATION_LEVEL
    ):
        move.error(
            "escalation_level",
            _("Choose a level from %(low)s to %(high)s.")
            % {"low": case.escalation_level, "high": MAX_ESCALATION_LEVEL},
        )
    move.check()
    if is_key is not None:
        case.is_key = is_key
    data = {"meeting": bool(meeting)}
    if escalation_level is not None and escalation_level != case.escalation_level:
        data["escalation_level"] = {"from": case.escalation_level, "to": escalation_level}
        case.escalation_level = escalation_level
    return finish(move, changed=["is_key", "escalation_level"], note=note, data=data)


@transaction.atomic
def case_set_plan(*, case_id: int, actor: AbstractBaseUser, handler: str, plan: str) -> Case:
    """三定: the lead unit names who handles the case and how; the step stays."""
    move = start("set_plan", case_id=case_id, actor=actor)
    case = move.row
    case.handler = move.text("handler", handler, max_length=50)
    case.plan = move.text("plan", plan, max_length=2000)
    return finish(move, changed=["handler", "plan"], note=case.plan, data={"handler": case.handler})


@transaction.atomic
def case_escalate(
    *, case_id: int, actor: AbstractBaseUser | None = None, today: dt.date | None = None
) -> Case:
    """督办 by the system: an overdue case raised to the level it is owed today.

    The escalation sweep (``sweeps.cases_escalate``) does this for batches of due
    cases; this is the same move for one case. Only the system (no user) may make it.
    """
    case = start("escalate", case_id=case_id, actor=actor).row
    today = today or timezone.localdate()
    if case.is_overdue(today):
        sweeps.escalate(cases=[case], today=today)
    return case
