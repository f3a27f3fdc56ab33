import pytest
from django.contrib.auth import get_user_model

from liaison.wiring import demo
from suggestions.models import Suggestion
from suggestions.proposals.models import SuggestionStep
from suggestions.proposals.scopes import suggestions_visible_to

pytestmark = pytest.mark.django_db


def test_demo_county_has_suggestions_in_every_step():
    """seed_demo leaves suggestions in every step, each with its history, one from a
    station case, some published and one excellent; the demo committee, unit and
    representative logins see theirs; seeding again adds nothing."""
    demo.seed(password="demo-password-for-tests")
    assert set(Suggestion.objects.values_list("step", flat=True)) == set(SuggestionStep.values)
    assert all(s.events.exists() for s in Suggestion.objects.all())
    assert Suggestion.objects.filter(source_case__isnull=False).exists()
    assert Suggestion.objects.filter(published=True, excellent=True).count() == 1
    users = get_user_model().objects
    count = Suggestion.objects.count()
    assert suggestions_visible_to(users.get(username="committee")).count() == count
    assert suggestions_visible_to(users.get(username="unit")).exists()
    assert suggestions_visible_to(users.get(username="representative")).exists()
    demo.seed(password=None)
    assert Suggestion.objects.count() == count
