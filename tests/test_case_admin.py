import pytest

from suggestions.models import Step
from tests.case_world import case_at, make_world

pytestmark = pytest.mark.django_db


def test_admin_shows_a_case_with_its_read_only_timeline(client):
    """The case page lists its events; nothing on it can be saved or deleted."""
    world = make_world()
    case = case_at(world, Step.HANDLING)
    client.force_login(world.users["admin"])
    assert client.get("/admin/suggestions/case/").status_code == 200
    page = client.get(f"/admin/suggestions/case/{case.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "refer_by_letter" in body and case.tracking_code in body
    assert 'name="_save"' not in body
    assert client.post(f"/admin/suggestions/case/{case.pk}/delete/").status_code == 403


def test_admin_edits_categories(client):
    world = make_world()
    client.force_login(world.users["admin"])
    response = client.post(
        "/admin/suggestions/casecategory/add/",
        {"code": "housing", "name": "住房", "order": 11, "active": "on"},
    )
    assert response.status_code == 302
