"""退单: a lead unit sends a case that is not its own back to the committee, with a reason,
within the jurisdiction's ``case_send_back_workdays`` of assignment. The case is at
registered again, to be assigned anew; the new unit's deadline starts from that assignment."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from liaison.base.jurisdiction import settings_for
from suggestions.cases.models import Case, CaseCoUnit
from suggestions.cases.services.common import DEADLINE, finish, set_deadline, start
from suggestions.shared import deadlines


@transaction.atomic
def case_send_back(*, case_id: int, actor: AbstractBaseUser, reason: str) -> Case:
    move = start("send_back", case_id=case_id, actor=actor)
    case = move.row
    reason = move.text("reason", reason, max_length=500)
    move.check()
    # The unit's figures count its returns from this history row's data.
    data = {"unit": case.lead_unit_id, "disposition": case.disposition}
    CaseCoUnit.objects.filter(case=case).delete()
    case.lead_unit, case.disposition, case.send_back_until = None, "", None
    case.handler, case.plan = "", ""
    case.extension_until, case.extension_reason = None, ""
    rules = settings_for(case.region_id)
    set_deadline(
        case,
        *deadlines.in_workdays(
            start=timezone.localdate(), workdays=rules.registration_workdays, rule="disposition"
        ),
    )
    changed = [
        "lead_unit",
        "disposition",
        "send_back_until",
        "handler",
        "plan",
        "extension_until",
        "extension_reason",
        *DEADLINE,
    ]
    return finish(move, changed=changed, note=reason, data=data)
