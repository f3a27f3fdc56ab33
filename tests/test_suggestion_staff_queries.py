"""Every suggestion list page answers from the same number of queries at 1 row and at 50,
and "my work" counts what waits for each role."""

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


def _published(w, n):
    suggestion = suggestion_at(w, S.CLOSED, joint=True)
    services.suggestion_publish(suggestion_id=suggestion.pk, actor=w.users["committee"])


def _excellent_url(w):
    return (
        f"/staff/suggestions/excellent/?region={w.representative.region_id}"
        f"&year={timezone.localdate().year}"
    )


# page: (role, url, how to add the n-th row, the listed rows in the context)
PAGES = {
    "all": ("committee", lambda w: "/staff/suggestions/", lambda w, n: filed(w, joint=True)),
    "inbox": ("committee", lambda w: "/staff/suggestions/inbox/", lambda w, n: filed(w)),
    "mine": ("co_signer", lambda w: "/staff/suggestions/mine/", lambda w, n: filed(w, joint=True)),
    "to-rate": (
        "co_signer",
        lambda w: "/staff/suggestions/mine/",
        lambda w, n: suggestion_at(w, S.REPLIED, joint=True),
    ),
    "unit": (
        "co_unit",
        lambda w: "/staff/suggestions/unit/",
        lambda w, n: suggestion_at(w, S.ASSIGNED, joint=True),
    ),
    "reports": (
        "committee",
        lambda w: "/staff/suggestions/reports/",
        lambda w, n: suggestion_at(w, S.RATED),
    ),
    "excellent": ("committee", _excellent_url, _published),
    "my-work": ("lead_unit", lambda w: "/staff/", lambda w, n: suggestion_at(w, S.ASSIGNED)),
}


def _count(user, url):
    client = Client()
    client.force_login(user)
    client.get(url)  # warm: the session and the user's scope
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


@frozen()
@pytest.mark.parametrize("page", PAGES)
def test_suggestion_list_page_queries_are_constant_from_1_to_50_rows(page):
    role, url, add_row = PAGES[page]
    w = make_suggestion_world()
    add_row(w, 0)
    one, _response = _count(w.users[role], url(w))
    for n in range(1, 50):
        add_row(w, n)
    fifty, response = _count(w.users[role], url(w))
    listing = response.context.get("listing")
    if page == "to-rate":
        assert len(response.context["to_rate"]) == 20
    elif page == "excellent":
        assert len(response.context["candidates"]) == 50
    elif page == "reports":
        assert response.context["totals"]["total"] == 50
    elif listing is not None:
        assert len(listing.page.object_list) == 50
    assert one == fifty <= 10, (one, fifty)


def test_my_work_counts_what_waits_for_each_role():
    """The committee: the filed one; the lead unit: the one it must answer; the co-unit:
    its opinion owed (not once the lead unit has replied); the signer: the reply to rate."""
    w = make_suggestion_world()
    filed(w)
    suggestion_at(w, S.REPLIED, joint=True)
    suggestion_at(w, S.ASSIGNED)

    def counts(role):
        client = Client()
        client.force_login(w.users[role])
        return [count for _label, count, _url in client.get("/staff/").context["suggestion_work"]]

    assert counts("committee") == [1]
    assert counts("lead_unit") == [1]
    assert counts("co_unit") == [1]
    assert counts("co_signer") == [1]
    assert counts("liaison") == []
