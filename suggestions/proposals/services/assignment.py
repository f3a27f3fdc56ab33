"""Assignment (交办): the committee gives the suggestion to a lead unit and any
co-units, and their clocks start; a misrouted one the lead unit sends back."""

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.base.flow import clean_text, raise_errors
from liaison.base.jurisdiction import settings_for
from liaison.base.notifications.models import NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from suggestions.models import HandlingUnit
from suggestions.proposals import notices
from suggestions.proposals.models import Extension, Suggestion, SuggestionCoUnit
from suggestions.proposals.services.common import (
    DEADLINE,
    ESCALATION,
    finish,
    reset_escalation,
    set_key,
    start,
)
from suggestions.shared import deadlines


@transaction.atomic
def suggestion_assign(
    *,
    suggestion_id: int,
    actor: AbstractBaseUser,
    lead_unit: HandlingUnit,
    co_units: Iterable[HandlingUnit] = (),
    is_key: bool | None = None,
    key_leader: str = "",
    key_leader_name: str = "",
    note: str = "",
) -> Suggestion:
    """交办: one lead unit and any co-units; the reply and the co-units' opinions fall due."""
    move = start("assign", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    co_units = {co.pk: co for co in co_units if co.pk != getattr(lead_unit, "pk", None)}
    errors = move.errors
    if lead_unit is None or not lead_unit.active:
        errors["lead_unit"] = [_("Choose an active lead unit.")]
    if any(not co.active for co in co_units.values()):
        errors["co_units"] = [_("Every co-unit must be active.")]
    set_key(suggestion, errors, is_key, key_leader, key_leader_name)
    note = clean_text(errors, "note", note, required=False)
    raise_errors(errors)
    today = timezone.localdate()
    assigned_late = bool(
        suggestion.deadline_explanation.get("rule") == "suggestion_assign"
        and suggestion.is_overdue(today)
    )
    rules = settings_for(suggestion.region_id)
    suggestion.deadline, suggestion.deadline_explanation = deadlines.in_months(
        start=today, months=rules.suggestion_reply_months, rule="suggestion_reply"
    )
    due, explanation = deadlines.in_months(
        start=today, months=rules.suggestion_counit_months, rule="suggestion_counit"
    )
    SuggestionCoUnit.objects.bulk_create(
        [
            SuggestionCoUnit(suggestion=suggestion, unit=co, due=due, due_explanation=explanation)
            for co in co_units.values()
        ]
    )
    suggestion.lead_unit, suggestion.assigned_at = lead_unit, timezone.now()
    reset_escalation(suggestion)
    recipients = notices.Recipients.load(unit_ids=[lead_unit.pk, *co_units])
    body = gettext("%(what)s has been assigned to your unit; reply due %(date)s.") % {
        "what": notices.label(suggestion),
        "date": suggestion.deadline.isoformat(),
    }
    notifications_enqueue(
        notifications=[
            row
            for unit_id in [lead_unit.pk, *co_units]
            for row in notices.to_unit(
                suggestion,
                unit_id,
                recipients,
                kind=NotificationKind.SUGGESTION_ASSIGNED,
                key=f"a{suggestion.assigned_at:%Y%m%d%H%M%S}",
                title=gettext("Suggestion assigned"),
                body=body,
                due=today,
            )
        ]
    )
    changed = [
        "lead_unit",
        "assigned_at",
        "is_key",
        "key_leader",
        "key_leader_name",
        *ESCALATION,
        *DEADLINE,
    ]
    data = {
        "lead_unit": lead_unit.pk,
        "co_units": sorted(co_units),
        "assigned_late": assigned_late,
    }
    return finish(move, changed=changed, note=note, data=data)


@transaction.atomic
def suggestion_send_back(*, suggestion_id: int, actor: AbstractBaseUser, reason: str) -> Suggestion:
    """Misrouted: the lead unit sends it back, with the reason, for the committee to
    assign again (within the assignment limit from today)."""
    move = start("send_back", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    errors = move.errors
    reason = clean_text(errors, "reason", reason)
    raise_errors(errors)
    co_rows = SuggestionCoUnit.objects.filter(suggestion=suggestion)
    data = {
        "lead_unit": suggestion.lead_unit_id,
        "co_units": list(co_rows.values_list("unit_id", flat=True)),
    }
    co_rows.delete()
    rules = settings_for(suggestion.region_id)
    suggestion.deadline, suggestion.deadline_explanation = deadlines.in_workdays(
        start=timezone.localdate(),
        workdays=rules.suggestion_assign_workdays,
        rule="suggestion_assign",
    )
    suggestion.lead_unit = suggestion.assigned_at = suggestion.planned_reply_date = None
    suggestion.handler_name = suggestion.handler_phone = suggestion.plan = ""
    suggestion.extension, suggestion.extension_reason = Extension.NONE, ""
    reset_escalation(suggestion)
    changed = [
        "lead_unit",
        "assigned_at",
        "planned_reply_date",
        "handler_name",
        "handler_phone",
        "plan",
        "extension",
        "extension_reason",
        *ESCALATION,
        *DEADLINE,
    ]
    return finish(move, changed=changed, note=reason, data=data)
