"""The case lists and the case API read rows as values, not model instances: what they
show is what the model-based serializer and table showed, and the blank filter form kept
per process changes as soon as the categories do."""

import base64
import datetime as dt
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.test import APIClient

from liaison.base.compiled import CompiledValues
from liaison.base.models import CommitteeMembership
from suggestions.cases import selectors
from suggestions.cases.serializers import CaseSerializer
from suggestions.models import Case, CaseCategory, HandlingUnit, Step
from tests.case_world import COUNTY, case_at, make_world, received
from tests.clock import frozen
from tests.factories import committee_user

pytestmark = [pytest.mark.django_db, frozen()]


def _api_rows(user, language, **params) -> dict[int, dict]:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    response = client.get("/api/v1/cases/", params)
    assert response.status_code == 200, response.json()
    return {row["id"]: row for row in response.json()["results"]}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_api_list_writes_what_the_serializer_writes(language, rf):
    world = make_world()
    cases = [
        case_at(world, Step.HANDLING),
        case_at(world, Step.ARCHIVED),
        received(world),
        case_at(world, Step.FOLLOW_UP),
    ]
    # Two co-units, named so that the units' order (region, name) is not the id order.
    second = HandlingUnit.objects.create(name="一号单位", region_id=world.co_unit.region_id)
    cases[0].co_units.add(second)
    Case.objects.filter(pk=cases[0].pk).update(deadline=dt.date(2020, 1, 1), is_key=True)
    rows = _api_rows(world.users["committee"], language)
    request = rf.get("/", HTTP_ACCEPT_LANGUAGE=language)
    with translation.override(language):
        for case in selectors.case_list(user=world.users["committee"]).filter(
            pk__in=[c.pk for c in cases]
        ):
            expected = CaseSerializer(case, context={"request": request}).data
            assert rows[case.pk] == expected
            assert list(rows[case.pk]) == list(expected)
    assert len(rows[cases[0].pk]["co_units"]) == 2
    assert rows[cases[0].pk]["overdue"] is True
    assert rows[cases[1].pk]["closed_at"] is not None


def test_an_api_filter_still_filters_and_other_parameters_do_not():
    world = make_world()
    handling, fresh = case_at(world, Step.HANDLING), received(world)
    user = world.users["committee"]
    assert set(_api_rows(user, "en", step="handling")) == {handling.pk}
    assert set(_api_rows(user, "en", page_size=10)) == {handling.pk, fresh.pk}
    assert set(_api_rows(user, "en", received_after="2020-01-01")) == {handling.pk, fresh.pk}


def test_the_staff_list_shows_co_units_key_cases_and_lateness():
    world = make_world()
    late = case_at(world, Step.HANDLING)
    Case.objects.filter(pk=late.pk).update(deadline=dt.date(2020, 1, 1), is_key=True)
    fresh = received(world, title="井盖缺失")
    # Saved past the form's checks: the compiled rows escape it all the same.
    Case.objects.filter(pk=fresh.pk).update(title='<script>alert("x")</script>')
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.users["committee"])
    html = client.get("/staff/cases/").content.decode()
    assert (
        f'<a href="/staff/cases/{late.pk}/">{late.tracking_code}</a> <span class="tag">Key' in html
    )
    assert f'<a href="/staff/cases/{fresh.pk}/">{fresh.tracking_code}</a></td>' in html
    assert f'{world.unit.name} <span class="meta">+{world.co_unit.name}</span>' in html
    assert html.count('<tr class="late">') == 1
    assert "<td>&lt;script&gt;alert(" in html
    assert "<script>alert" not in html
    assert "2020-01-01" in html
    inbox = client.get("/staff/inbox/").content.decode()
    assert f'name="cases" value="{fresh.pk}" aria-label="{fresh.tracking_code}"' in inbox


def test_the_blank_filter_form_follows_the_categories_at_once():
    world = make_world()
    received(world)
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.users["committee"])
    assert "道路桥梁" not in client.get("/staff/cases/").content.decode()
    CaseCategory.objects.create(code="roads", name="道路桥梁", active=True)
    assert "道路桥梁" in client.get("/staff/cases/").content.decode()
    assert "道路桥梁" in client.get("/staff/cases/?sort=deadline").content.decode()
    CaseCategory.objects.filter(code="roads").update(active=False)
    assert "道路桥梁" not in client.get("/staff/cases/").content.decode()


def test_a_filter_in_the_query_shows_in_the_form_and_the_blank_form_stays_blank():
    world = make_world()
    received(world)
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.users["committee"])
    chosen = client.get("/staff/cases/?step=handling").content.decode()
    assert '<option value="handling" selected>' in chosen
    blank = client.get("/staff/cases/").content.decode()
    assert '<option value="handling" selected>' not in blank
    assert '<option value="handling">' in blank
    # The other language's labels are not served from the English rendering.
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(world.users["committee"])
    assert "处理</option>" in client.get("/staff/cases/").content.decode()


# The list as clients open it (no filter): SQL built once per scope and page shape.


def _walk(client, params: dict) -> list[dict]:
    """Every page forward from the first, then back by the previous links, with each
    page's queries."""
    pages, url, data = [], "/api/v1/cases/", params
    for link in ("next", "previous"):
        while url:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, data)
            assert response.status_code == 200, response.content
            body = response.json()
            pages.append({**body, "queries": len(queries)})
            url, data = body[link], None
        url = pages[-1]["previous"]
    return pages


def _unfiltered(link: str | None) -> str | None:
    return link and link.replace("state=&", "").replace("&state=", "")


@pytest.mark.parametrize(
    "role", ["committee", "lead_unit", "co_unit", "liaison", "receiver", "admin", "other_unit"]
)
def test_the_list_as_it_opens_pages_as_the_filtered_list_does(role):
    """Unfiltered, the list reads the same pages (rows, links, order both ways) as through
    the filterset (``state=``, which filters nothing), in no more queries."""
    world = make_world()
    for step in (Step.HANDLING, Step.ARCHIVED, Step.FOLLOW_UP, Step.HANDLING):
        case_at(world, step)
    for _ in range(3):
        received(world)
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(world.users[role])
    opened = _walk(client, {"page_size": 2})
    filtered = _walk(client, {"page_size": 2, "state": ""})
    assert [page["results"] for page in opened] == [page["results"] for page in filtered]
    for page, other in zip(opened, filtered, strict=True):
        assert page["next"] == _unfiltered(other["next"])
        assert page["previous"] == _unfiltered(other["previous"])
        assert page["queries"] <= other["queries"]
    seen = {row["id"] for page in opened for row in page["results"]}
    visible = selectors.case_list(user=world.users[role]).values_list("pk", flat=True)
    assert seen == set(visible)


def test_users_of_one_scope_share_the_sql_and_a_changed_scope_reads_its_own():
    world = make_world()
    case = case_at(world, Step.HANDLING)
    colleague = committee_user(COUNTY)

    def ids(user) -> set[int]:
        client = Client()
        client.force_login(user)
        return {row["id"] for row in client.get("/api/v1/cases/").json()["results"]}

    assert ids(world.users["committee"]) == {case.pk}
    built = len(selectors._LISTED_ROWS._sql)
    assert ids(colleague) == {case.pk}
    assert len(selectors._LISTED_ROWS._sql) == built
    assert ids(world.users["other_committee"]) == set()
    CommitteeMembership.objects.filter(user=colleague).delete()
    assert ids(colleague) == set()


def test_a_position_past_the_databases_integers_is_read_by_the_orm():
    """As the ORM answers it: every case before a position no id reaches, none after."""
    world = make_world()
    cases = {case_at(world, Step.HANDLING).pk, received(world).pk}
    client = Client()
    client.force_login(world.users["committee"])
    for reverse, expected in ((False, cases), (True, set())):
        position = {"p": str(10**20), **({"r": "1"} if reverse else {})}
        cursor = base64.b64encode(urlencode(position).encode()).decode()
        response = client.get("/api/v1/cases/", {"cursor": cursor})
        assert {row["id"] for row in response.json()["results"]} == expected


def test_compiled_values_keep_a_bounded_number_of_queries_and_skip_empty_ones():
    pages = CompiledValues(Case, size=2)
    world = make_world()
    case = received(world)

    def build(marker):
        return Case.objects.filter(pk__gte=marker).values("id", "received_at")

    for key in ("a", "b"):
        assert pages.rows(key, build, case.pk) == [{"id": case.pk, "received_at": case.received_at}]
    assert len(pages._sql) == 2
    pages.rows("c", build, case.pk + 1)
    assert list(pages._sql) == [("default", "c")]
    with CaptureQueriesContext(connection) as queries:
        assert pages.rows("none", lambda marker: Case.objects.none().values("id")) == []
    assert len(queries) == 0


@pytest.mark.parametrize("role", ["committee", "liaison", "receiver", "admin", "other_unit"])
def test_the_staff_list_as_it_opens_shows_what_the_filtered_list_shows(role, monkeypatch):
    """The staff list read by SQL built once per scope, sort and page
    (``selectors.table_rows``) shows the rows the filterset's road shows (``state=``,
    which filters nothing), in each sort and on each page."""
    from liaison.base import paging
    from suggestions.cases.staff.cases import SORTS

    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    world = make_world()
    for step in (Step.HANDLING, Step.ARCHIVED, Step.FOLLOW_UP, Step.HANDLING):
        case_at(world, step)
    for _ in range(2):
        received(world)
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(world.users[role])

    def table(query: str) -> str:
        page = client.get(f"/staff/cases/?{query}").content.decode()
        return page.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in page else ""

    built = len(selectors._TABLE_ROWS._sql)
    for sort in SORTS:
        for number in (1, 2, 3, 9):
            opened = table(f"sort={sort}&page={number}")
            assert opened == table(f"sort={sort}&page={number}&state="), (sort, number)
    assert len(selectors._TABLE_ROWS._sql) > built or role == "other_unit"
    shown = table("page=1") + table("page=2") + table("page=3")
    for case in selectors.case_list(user=world.users[role]):
        assert case.tracking_code in shown


def test_compiled_values_count_records_the_orm_count_and_sends_it_as_it_stands():
    counts = CompiledValues(Case)
    world = make_world()
    received(world)
    received(world)
    everything = Case.objects.order_by()
    expected = everything.count()
    with CaptureQueriesContext(connection) as first:
        assert counts.count("all", lambda: everything) == expected
    with CaptureQueriesContext(connection) as again:
        assert counts.count("all", lambda: pytest.fail("built again")) == expected
    # The ORM's statement, recorded the first time and sent once each time.
    assert [q["sql"] for q in first] == [q["sql"] for q in again]
    assert len(first) == 1
    # Nothing can match: the ORM sends nothing, nor does the recorded call.
    with CaptureQueriesContext(connection) as queries:
        assert counts.count("none", lambda: Case.objects.filter(pk__in=[])) == 0
        assert counts.count("none", lambda: Case.objects.filter(pk__in=[])) == 0
    assert len(queries) == 0


def test_a_marker_fits_the_column_it_stands_for():
    """A 64-bit marker compared with a 32-bit id (Django's user id) makes the ORM find that
    nothing matches and build no SQL: ``marker_for`` gives one the column holds."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import EmptyResultSet

    from liaison.base.compiled import MARKER, CompiledQuery, marker_for

    users = get_user_model()
    assert marker_for(users._meta.pk) != MARKER
    assert marker_for(Case._meta.pk) == MARKER
    if connection.vendor == "postgresql":  # SQLite's integers are all 64-bit
        with pytest.raises(EmptyResultSet):
            str(users.objects.filter(pk=MARKER).query)
    world = make_world()
    user = world.users["committee"]
    by_pk = CompiledQuery(
        users,
        lambda pk: users.objects.filter(pk=pk).values_list("username"),
        marker=marker_for(users._meta.pk),
    )
    assert by_pk.rows(user.pk) == [(user.username,)]
    assert by_pk.rows(user.pk + 10_000) == []
