"""The committee's supervision (notes, coordination meetings, escalation level) and the
unit's handler and plan (三定), through the real services."""

import pytest
from django.core.exceptions import ValidationError

from suggestions.cases import services
from suggestions.cases.services import IllegalTransition, NotAllowed
from suggestions.models import Case, CaseEvent, Step
from tests.case_world import case_at, make_world

pytestmark = pytest.mark.django_db


def test_supervision_records_a_meeting_and_raises_the_escalation_level():
    """A coordination meeting and a higher level are kept on the case and in its event."""
    world = make_world()
    case = case_at(world, Step.HANDLING)
    services.case_supervise(
        case_id=case.pk,
        actor=world.users["committee"],
        note="召开协调会，住建局、交通局参加",
        meeting=True,
        escalation_level=2,
    )
    case.refresh_from_db()
    assert (case.step, case.escalation_level) == (Step.SUPERVISING, 2)
    event = CaseEvent.objects.filter(case=case, kind="supervise").get()
    assert event.data == {"meeting": True, "escalation_level": {"from": 0, "to": 2}}


def test_supervision_never_lowers_the_escalation_level():
    """A level below the current one, or above the scale, is a field error; nothing changes."""
    world = make_world()
    case = case_at(world, Step.HANDLING)
    services.case_supervise(
        case_id=case.pk, actor=world.users["committee"], note="督办", escalation_level=3
    )
    for level in (1, services.MAX_ESCALATION_LEVEL + 1):
        with pytest.raises(ValidationError) as error:
            services.case_supervise(
                case_id=case.pk,
                actor=world.users["committee"],
                note="再督办",
                escalation_level=level,
            )
        assert "escalation_level" in error.value.message_dict
    assert Case.objects.get(pk=case.pk).escalation_level == 3
    assert CaseEvent.objects.filter(case=case, kind="supervise").count() == 1


def test_the_lead_unit_sets_handler_and_plan_without_moving_the_step():
    """三定: the handler and plan are stored, the step stays, an event records them."""
    world = make_world()
    case = case_at(world, Step.HANDLING)
    services.case_set_plan(
        case_id=case.pk, actor=world.users["lead_unit"], handler="王科长", plan="两周内修复"
    )
    case.refresh_from_db()
    assert (case.step, case.handler, case.plan) == (Step.HANDLING, "王科长", "两周内修复")
    event = CaseEvent.objects.filter(case=case, kind="set_plan").get()
    assert (event.from_step, event.to_step, event.data) == (
        Step.HANDLING,
        Step.HANDLING,
        {"handler": "王科长"},
    )


def test_only_the_lead_unit_sets_the_plan_and_only_while_handling():
    """A co-unit, a committee or a liaison may not; a replied case takes no plan; blanks are
    field errors."""
    world = make_world()
    case = case_at(world, Step.HANDLING)
    for role in ("co_unit", "committee", "liaison", "other_unit"):
        with pytest.raises(NotAllowed):
            services.case_set_plan(
                case_id=case.pk, actor=world.users[role], handler="某人", plan="计划"
            )
    with pytest.raises(ValidationError) as error:
        services.case_set_plan(case_id=case.pk, actor=world.users["lead_unit"], handler="", plan="")
    assert set(error.value.message_dict) == {"handler", "plan"}
    replied = case_at(world, Step.REPLIED)
    with pytest.raises(IllegalTransition):
        services.case_set_plan(
            case_id=replied.pk, actor=world.users["lead_unit"], handler="王科长", plan="计划"
        )
