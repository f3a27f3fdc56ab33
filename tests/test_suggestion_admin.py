import pytest

from suggestions.proposals.models import SuggestionStep as S
from tests.suggestion_world import make_suggestion_world, suggestion_at

pytestmark = pytest.mark.django_db


def test_admin_shows_a_suggestion_with_its_read_only_timeline(client):
    """The suggestion page lists signers, replies, ratings and events; nothing on it can
    be saved or deleted."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.CLOSED, joint=True)
    client.force_login(w.users["admin"])
    assert client.get("/admin/suggestions/suggestion/").status_code == 200
    page = client.get(f"/admin/suggestions/suggestion/{suggestion.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert suggestion.number in body and "assign" in body and w.co_signer.name in body
    assert 'name="_save"' not in body
    assert client.post(f"/admin/suggestions/suggestion/{suggestion.pk}/delete/").status_code == 403
