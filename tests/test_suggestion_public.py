import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from suggestions.proposals import services
from suggestions.proposals.models import SuggestionStep as S
from tests.clock import frozen
from tests.suggestion_world import filed, make_suggestion_world, suggestion_at

pytestmark = pytest.mark.django_db


def published(w, step=S.CLOSED, **kw):
    suggestion = suggestion_at(w, step, **kw)
    services.suggestion_publish(suggestion_id=suggestion.pk, actor=w.users["committee"])
    return suggestion


def test_public_page_shows_reply_and_rating_and_never_the_unpublished():
    """A published suggestion shows its content, each round's reply and each rating;
    an unpublished one is not listed and its page is 404."""
    w = make_suggestion_world()
    shown = suggestion_at(w, S.REHANDLING)
    services.suggestion_reply(
        suggestion_id=shown.pk, actor=w.users["lead_unit"], category="A", text="第二次答复：已完工"
    )
    services.suggestion_rate(suggestion_id=shown.pk, actor=w.users["receiver"], rating="satisfied")
    services.suggestion_publish(suggestion_id=shown.pk, actor=w.users["committee"])
    hidden = suggestion_at(w, S.CLOSED, title="未公开的建议")
    client = Client(headers={"accept-language": "zh-hans"})
    listing = client.get("/suggestions/").content.decode()
    assert shown.title in listing and "未公开的建议" not in listing
    page = client.get(f"/suggestions/{shown.pk}/").content.decode()
    assert "已纳入今年农村公路提质改造计划" in page and "第二次答复：已完工" in page
    assert "不满意" in page and "满意" in page.replace("不满意", "")
    assert w.unit.name in page and w.representative.name in page
    assert w.representative.private_phone not in page
    assert client.get(f"/suggestions/{hidden.pk}/").status_code == 404
    assert client.get(f"/suggestions/{filed(w).pk}/").status_code == 404


def test_unpublishing_takes_it_off_the_public_page():
    """Unpublished again: gone from the list and 404."""
    w = make_suggestion_world()
    suggestion = published(w)
    services.suggestion_unpublish(
        suggestion_id=suggestion.pk, actor=w.users["committee"], note="撤下"
    )
    assert Client().get(f"/suggestions/{suggestion.pk}/").status_code == 404


@frozen()
def test_excellent_suggestions_of_the_year_are_shown():
    """The year's excellent selection heads the public list."""
    w = make_suggestion_world()
    best = published(w, title="优秀建议：农村公路")
    published(w, title="普通建议")
    services.suggestions_select_excellent(
        actor=w.users["committee"],
        region_code=w.representative.region_id,
        year=timezone.localdate().year,
        suggestion_ids=[best.pk],
    )
    page = Client().get("/suggestions/").content.decode()
    excellent = page.split('class="excellent"')[1].split("</section>")[0]
    assert "优秀建议：农村公路" in excellent and "普通建议" not in excellent


def test_public_list_query_count_does_not_grow():
    """The same queries at 1 and at 12 published suggestions."""
    w = make_suggestion_world()
    published(w)
    client = Client()
    with CaptureQueriesContext(connection) as one:
        assert client.get("/suggestions/").status_code == 200
    for _ in range(11):
        published(w, joint=True)
    with CaptureQueriesContext(connection) as many:
        client.get("/suggestions/")
    assert len(one) == len(many)


def test_public_filters():
    """Title search and year narrow the list."""
    w = make_suggestion_world()
    published(w, title="关于路灯的建议")
    published(w, title="关于学校的建议")
    page = Client().get("/suggestions/", {"q": "路灯"}).content.decode()
    assert "关于路灯的建议" in page and "关于学校的建议" not in page
    page = Client().get("/suggestions/", {"year": 1999}).content.decode()
    assert "关于路灯的建议" not in page
