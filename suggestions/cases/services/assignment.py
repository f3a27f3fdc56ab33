"""处理: how a registered case is disposed of — assigned on the spot, referred by letter,
reported to the township, turned into a suggestion, or answered as a question."""

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base import clock
from liaison.base.jurisdiction import settings_for
from suggestions.cases.flow import unit_fits_authority
from suggestions.cases.models import Case, CaseCoUnit, Disposition, ReplyResult
from suggestions.cases.services.common import (
    DEADLINE,
    check_units,
    finish,
    replied_on_time,
    set_deadline,
    start,
)
from suggestions.shared import deadlines
from suggestions.shared.models import HandlingUnit


def case_assign_on_spot(
    *, case_id: int, actor: AbstractBaseUser, unit: HandlingUnit, **options
) -> Case:
    """现场交办: handed to a township department at the station."""
    return _assign(
        "assign_on_spot",
        Disposition.ON_THE_SPOT,
        case_id=case_id,
        actor=actor,
        unit=unit,
        **options,
    )


def case_refer_by_letter(
    *,
    case_id: int,
    actor: AbstractBaseUser,
    unit: HandlingUnit,
    co_units: Iterable[HandlingUnit] = (),
    **options,
) -> Case:
    """函件转办: referred by letter to a lead unit and any co-units."""
    return _assign(
        "refer_by_letter",
        Disposition.LETTER,
        case_id=case_id,
        actor=actor,
        unit=unit,
        co_units=co_units,
        **options,
    )


def case_report_to_township(
    *, case_id: int, actor: AbstractBaseUser, unit: HandlingUnit, note: str, **options
) -> Case:
    """报告+清单: a township-wide or major matter reported to the township government."""
    if not (note or "").strip():
        raise ValidationError({"note": _("Write the report and the list of matters.")})
    return _assign(
        "report_to_township",
        Disposition.TOWNSHIP_REPORT,
        case_id=case_id,
        actor=actor,
        unit=unit,
        note=note,
        **options,
    )


@transaction.atomic
def _assign(
    name: str,
    disposition: str,
    *,
    case_id: int,
    actor: AbstractBaseUser,
    unit: HandlingUnit,
    co_units: Iterable[HandlingUnit] = (),
    workdays: int | None = None,
    note: str = "",
) -> Case:
    move = start(name, case_id=case_id, actor=actor)
    case = move.row
    co_units = [co for co in co_units if co.pk != getattr(unit, "pk", None)]
    if unit is None or not unit.active:
        move.error("unit", _("Choose an active handling unit."))
    elif not unit_fits_authority(case, unit):
        move.error(
            "unit",
            _("A matter for the county or above goes to a unit of the county or above."),
        )
    if any(not co.active for co in co_units):
        move.error("co_units", _("Every co-unit must be active."))
    check_units(move, case, unit, co_units)
    if workdays is not None and not 1 <= workdays <= 250:
        move.error("workdays", _("Give between 1 and 250 working days."))
    note = move.text("note", note)
    move.check()
    rules = settings_for(case.region_id)
    workdays = workdays or rules.reply_workdays
    set_deadline(
        case, *deadlines.in_workdays(start=timezone.localdate(), workdays=workdays, rule="reply")
    )
    case.lead_unit, case.disposition = unit, disposition
    # 退单: the unit may send a misrouted case back within this many working days.
    case.send_back_until = deadlines.in_workdays(
        start=timezone.localdate(), workdays=rules.case_send_back_workdays, rule="send_back"
    )[0]
    CaseCoUnit.objects.bulk_create(
        [CaseCoUnit(case=case, unit=co) for co in co_units], ignore_conflicts=True
    )
    data = {"unit": unit.pk, "co_units": [co.pk for co in co_units], "workdays": workdays}
    changed = ["lead_unit", "disposition", "send_back_until", *DEADLINE]
    return finish(move, changed=changed, note=note, data=data)


@transaction.atomic
def case_to_suggestion(*, case_id: int, actor: AbstractBaseUser, note: str = "") -> Case:
    """A county-level matter becomes a representative suggestion.

    The suggestion filed from it (suggestions/proposals/) links back to this case and
    answers it through ``case_reply``; until then the case waits in handling on the
    suggestion deadline.
    """
    move = start("to_suggestion", case_id=case_id, actor=actor)
    case = move.row
    note = move.text("note", note)
    move.check()
    rules = settings_for(case.region_id)
    set_deadline(
        case,
        *deadlines.in_months(
            start=timezone.localdate(), months=rules.suggestion_reply_months, rule="suggestion"
        ),
    )
    case.disposition = Disposition.SUGGESTION
    return finish(move, changed=["disposition", *DEADLINE], note=note)


@transaction.atomic
def case_answer_consultation(
    *, case_id: int, actor: AbstractBaseUser, reply: str, public_reply: str = "", note: str = ""
) -> Case:
    """咨询类: the liaison asked the department and answers the question; the answer for
    the constituent is the answer itself unless a separate one is written."""
    move = start("answer_consultation", case_id=case_id, actor=actor)
    case = move.row
    case.reply = move.text("reply", reply, max_length=5000)
    case.public_reply = move.text("public_reply", public_reply or reply, max_length=5000)
    note = move.text("note", note)
    move.check()
    case.disposition, case.result = Disposition.CONSULTATION, ReplyResult.ANSWERED
    case.replied_at, case.callback_on = clock.now(), timezone.localdate()
    case.replied_on_time = replied_on_time(case)
    set_deadline(case, None, {})
    changed = ["disposition", "result", "reply", "public_reply", "replied_at", "callback_on"]
    changed += ["replied_on_time", *DEADLINE]
    return finish(move, changed=changed, note=note)
