import pytest

from liaison import demo
from liaison.scopes import cases_visible_to
from suggestions.models import Case, Step

pytestmark = pytest.mark.django_db


def test_demo_county_has_cases_in_every_step():
    """seed_demo leaves visits and cases at every step, each with its history,
    visible to the demo liaison and committee logins."""
    demo.seed(password="demo-password-for-tests")
    steps = set(Case.objects.values_list("step", flat=True))
    assert steps == set(Step.values)
    assert all(case.events.exists() for case in Case.objects.all())
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    for login in ("liaison", "committee"):
        assert cases_visible_to(users.get(username=login)).count() == Case.objects.count()
