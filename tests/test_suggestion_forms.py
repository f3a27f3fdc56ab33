import pytest
from django.utils import timezone

from suggestions.proposals.flow import SUGGESTIONS
from suggestions.proposals.models import SuggestionStep as S
from suggestions.proposals.staff.forms import PAGES, AssignForm
from tests.clock import frozen
from tests.suggestion_world import make_suggestion_world, suggestion_at

pytestmark = pytest.mark.django_db


def test_every_transition_has_a_form():
    """The staff pages get one form per move of the table."""
    assert set(PAGES.moves) == set(SUGGESTIONS.table)


def test_assign_form_offers_only_units_in_scope_and_runs_the_service():
    """A township committee sees its own units only; the county committee's form
    assigns through the service."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.ACCEPTED)
    form = AssignForm(
        {"lead_unit": w.unit.pk, "co_units": [w.co_unit.pk]},
        user=w.users["committee"],
        row=suggestion,
    )
    assert form.is_valid(), form.errors
    assert PAGES.perform("assign", form).step == S.ASSIGNED
    outsider = AssignForm({"lead_unit": w.unit.pk}, user=w.users["other_committee"])
    assert not outsider.is_valid() and "lead_unit" in outsider.errors


@frozen()
def test_service_field_errors_land_next_to_the_field():
    """A reply date after the deadline is the service's refusal, shown on the field."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.ASSIGNED)
    late = suggestion.deadline.replace(year=suggestion.deadline.year + 1)
    form = PAGES.moves["start"].form(
        {"handler_name": "王", "plan": "调研", "planned_reply_date": late.isoformat()},
        user=w.users["lead_unit"],
        row=suggestion,
    )
    assert form.is_valid()
    assert PAGES.perform("start", form) is False
    assert "planned_reply_date" in form.errors
    assert timezone.localdate() <= suggestion.deadline
