import datetime as dt
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from suggestions.proposals.models import Rating
from suggestions.proposals.models import SuggestionStep as S
from tests.clock import frozen
from tests.suggestion_world import filed, make_suggestion_world, suggestion_at

pytestmark = pytest.mark.django_db


def client_for(user, language="en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def test_list_query_count_is_the_same_at_page_size_1_and_50():
    """The suggestion list answers from the same handful of queries at 1 row and at 50."""
    w = make_suggestion_world()
    for _ in range(3):
        suggestion_at(w, S.HANDLING, joint=True)
    for _ in range(50):
        filed(w)
    counts = {}
    for size in (1, 50):
        client = client_for(w.users["committee"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/suggestions/", {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        counts[size] = len(queries)
    assert counts[1] == counts[50] <= 10, counts


def test_scope_decides_what_is_found():
    """Other counties, other units, other representatives: 404 and an empty list; the
    committee, both units and the signers find it."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.HANDLING, joint=True)
    url = f"/api/v1/suggestions/{suggestion.pk}/"
    for role in ("other_committee", "other_unit", "other_representative", "township_committee"):
        client = client_for(w.users[role])
        assert client.get(url).status_code == 404, role
        assert client.post(url + "reply/", {"category": "A", "text": "x"}).status_code == 404
        assert client.get("/api/v1/suggestions/").json()["results"] == [], role
    for role in ("committee", "admin", "lead_unit", "co_unit", "receiver", "co_signer"):
        assert client_for(w.users[role]).get(url).status_code == 200, role


@frozen()
def test_the_whole_flow_over_the_api():
    """File, accept, assign, start, reply, rate unsatisfied, re-handle, reply, rate
    satisfied, close, publish: each one POST, each answered with the fresh detail."""
    w = make_suggestion_world()
    u = {role: client_for(user) for role, user in w.users.items()}
    response = u["receiver"].post(
        "/api/v1/suggestions/",
        {
            "title": "关于增设公交站点的建议",
            "content": "星沙街道东片区缺少公交站点。",
            "session": "recess",
            "co_signers": [w.co_signer.pk],
            "category": w.category.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    pk, base = body["id"], f"/api/v1/suggestions/{body['id']}/"
    assert [s["name"] for s in body["signers"]] == [w.representative.name, w.co_signer.name]
    steps = [
        ("committee", "accept", {}),
        ("committee", "assign", {"lead_unit": w.unit.pk, "co_units": [w.co_unit.pk]}),
        (
            "lead_unit",
            "start",
            {
                "handler_name": "王科长",
                "plan": "调研",
                "planned_reply_date": str(timezone.localdate() + dt.timedelta(days=10)),
            },
        ),
        ("co_unit", "counit-opinion", {"opinion": "同意"}),
        (
            "lead_unit",
            "record-contact",
            {
                "stage": "before",
                "way": "phone",
                "on": str(timezone.localdate()),
                "note": "电话沟通",
            },
        ),
        (
            "lead_unit",
            "reply",
            {
                "category": "C",
                "text": "暂无规划",
                "per_signer": {str(w.co_signer.pk): "李四代表：暂无规划"},
            },
        ),
        ("receiver", "rate", {"rating": "unsatisfied"}),
        ("co_signer", "rate", {"rating": "basic"}),
        ("committee", "rehandle", {"note": "重新办理"}),
        ("lead_unit", "reply", {"category": "A", "text": "已增设站点"}),
        ("receiver", "rate", {"rating": "satisfied"}),
        ("co_signer", "rate", {"rating": "satisfied"}),
        ("committee", "close", {}),
        ("committee", "publish", {}),
    ]
    for role, move, data in steps:
        response = u[role].post(base + move + "/", data, format="json")
        assert response.status_code == 200, (move, response.json())
    body = response.json()
    assert body["step"] == S.CLOSED and body["published"] and body["rehandle_count"] == 1
    assert len(body["replies"]) == 4 and len(body["ratings"]) == 4
    assert body["timeline"][0]["kind"] == "file" and body["timeline"][-1]["kind"] == "publish"
    assert body["id"] == pk


@frozen()
def test_bad_input_is_400_with_field_errors_in_the_users_language():
    """A reply without text or with a made-up category: 400, field errors, in Chinese
    for a Chinese browser; nothing changes."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.HANDLING)
    url = f"/api/v1/suggestions/{suggestion.pk}/reply/"
    response = client_for(w.users["lead_unit"], "zh-hans").post(url, {"category": "Z"})
    assert response.status_code == 400
    assert set(response.json()) == {"category", "text"}
    start = {"handler_name": "王", "plan": "调研", "planned_reply_date": str(timezone.localdate())}
    response = client_for(w.users["lead_unit"], "zh-hans").post(
        f"/api/v1/suggestions/{suggestion.pk}/start/", start
    )
    assert response.status_code == 409
    assert "办理中" in response.json()["detail"]
    suggestion.refresh_from_db()
    assert suggestion.step == S.HANDLING and suggestion.replies.count() == 0


def test_illegal_move_is_409_and_wrong_role_is_403():
    """Closing a suggestion still in handling is 409; a unit trying to accept is 403."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.HANDLING)
    base = f"/api/v1/suggestions/{suggestion.pk}/"
    response = client_for(w.users["committee"]).post(base + "close/", {})
    assert (response.status_code, response.json()["code"]) == (409, "illegal_transition")
    response = client_for(w.users["lead_unit"]).post(base + "rehandle/", {"note": "x"})
    assert response.status_code == 409
    fresh = filed(w)
    response = client_for(w.users["lead_unit"]).post(f"/api/v1/suggestions/{fresh.pk}/accept/")
    assert response.status_code == 404  # not assigned to the unit: not in its scope
    response = client_for(w.users["receiver"]).post(f"/api/v1/suggestions/{fresh.pk}/accept/")
    assert (response.status_code, response.json()["code"]) == (403, "not_allowed")


def test_return_has_its_own_url():
    """The committee returns a suggestion at /return/ with one of the reasons."""
    w = make_suggestion_world()
    suggestion = filed(w)
    response = client_for(w.users["committee"]).post(
        f"/api/v1/suggestions/{suggestion.pk}/return/",
        {"reason": "no_content", "note": "无实质内容"},
    )
    assert response.status_code == 200
    assert response.json()["return_reason"] == "no_content"


@frozen()
def test_filters():
    """Step, unit, representative, overdue and year filters narrow the list."""
    w = make_suggestion_world()
    handling = suggestion_at(w, S.HANDLING)
    accepted = suggestion_at(w, S.ACCEPTED)
    client = client_for(w.users["committee"])

    def ids(**params):
        return {row["id"] for row in client.get("/api/v1/suggestions/", params).json()["results"]}

    assert ids(step="handling") == {handling.pk}
    assert ids(unit=w.co_unit.pk) == {handling.pk}
    assert ids(representative=w.representative.pk) == {handling.pk, accepted.pk}
    assert ids(overdue="true") == set()
    assert ids(year=timezone.localdate().year) == {handling.pk, accepted.pk}
    assert ids(year=1999) == set()


def test_unit_report_and_ledger_are_scoped():
    """The unit's report and ledger hold only what the unit handles; another county's
    committee gets empty ones."""
    w = make_suggestion_world()
    suggestion_at(w, S.CLOSED)
    suggestion_at(w, S.RATED, rating=Rating.UNSATISFIED)
    filed(w)
    body = client_for(w.users["lead_unit"]).get("/api/v1/suggestions/report/units/").json()
    assert body["totals"]["total"] == 2
    assert [(r["unit"], r["total"], r["satisfaction_rate"]) for r in body["units"]] == [
        (w.unit.pk, 2, 50.0)
    ]
    response = client_for(w.users["committee"]).get("/api/v1/suggestions/ledger/")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Number" and len(rows) == 4
    other = client_for(w.users["other_committee"]).get("/api/v1/suggestions/ledger/")
    assert len(list(load_workbook(BytesIO(other.content)).active.iter_rows())) == 1
    years = client_for(w.users["committee"]).get("/api/v1/suggestions/report/years/").json()
    assert sum(row["total"] for row in years["rows"]) == 3


@frozen()
def test_select_excellent_over_the_api():
    """The committee picks the year's excellent suggestions; a unit may not."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.CLOSED)
    client = client_for(w.users["committee"])
    client.post(f"/api/v1/suggestions/{suggestion.pk}/publish/")
    data = {
        "region": w.representative.region_id,
        "year": timezone.localdate().year,
        "suggestions": [suggestion.pk],
    }
    assert (
        client_for(w.users["lead_unit"])
        .post("/api/v1/suggestions/select-excellent/", data, format="json")
        .status_code
        == 403
    )
    response = client.post("/api/v1/suggestions/select-excellent/", data, format="json")
    assert response.status_code == 200 and response.json()[0]["excellent"] is True
