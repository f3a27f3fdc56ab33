import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from liaison.base import api_tokens
from suggestions.cases import services
from suggestions.models import Case, Step
from tests.case_world import case_at, make_world, received
from tests.clock import frozen

pytestmark = pytest.mark.django_db


def client_for(user, language="en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def test_list_query_count_is_the_same_at_page_size_1_and_50():
    """The case list answers from the same handful of queries at 1 row and at 50."""
    world = make_world()
    for _ in range(3):
        case_at(world, Step.HANDLING)
    for _ in range(50):
        received(world)
    counts = {}
    for size in (1, 50):
        client = client_for(world.users["committee"])
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/cases/", {"page_size": size})
        assert response.status_code == 200
        assert len(response.json()["results"]) == size
        counts[size] = len(queries)
    assert counts[1] == counts[50] <= 10, counts


def test_token_authentication_and_anonymous_refusal():
    """A token works like a session; without credentials the API answers 401."""
    world = make_world()
    case_at(world, Step.RECEIVED)
    _token, key = api_tokens.issue(world.users["liaison"])
    client = APIClient()
    assert client.get("/api/v1/cases/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert len(client.get("/api/v1/cases/").json()["results"]) == 1


def test_out_of_scope_cases_are_not_found():
    """Another county's committee, another station's liaison, another unit: 404, list empty."""
    world = make_world()
    case = case_at(world, Step.HANDLING)
    for role in ("other_committee", "other_liaison", "other_unit", "other_representative"):
        client = client_for(world.users[role])
        assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
        assert client.post(f"/api/v1/cases/{case.pk}/supervise/", {"note": "x"}).status_code == 404
        assert client.get("/api/v1/cases/").json()["results"] == []
    for role in ("liaison", "committee", "township_committee", "lead_unit", "co_unit", "receiver"):
        assert client_for(world.users[role]).get(f"/api/v1/cases/{case.pk}/").status_code == 200


def test_detail_shows_timeline_deadline_and_available_moves():
    """Detail carries the history, the deadline's explanation and the user's moves."""
    world = make_world()
    case = case_at(world, Step.HANDLING)
    body = client_for(world.users["committee"]).get(f"/api/v1/cases/{case.pk}/").json()
    assert [e["kind"] for e in body["timeline"]] == ["receive", "register", "refer_by_letter"]
    assert body["deadline_explanation"]["rule"] == "reply"
    assert "15" in body["deadline_text"]
    assert set(body["available_transitions"]) == {
        "supervise",
        "reply",
        "reply_in_progress",
        "merge",
        "withdraw",
    }
    assert "constituent_phone" not in body and "13812345678" not in str(body)


def test_a_transition_endpoint_moves_the_case():
    """POST /cases/<id>/register/ registers and returns the new state."""
    world = make_world()
    case = case_at(world, Step.RECEIVED)
    response = client_for(world.users["liaison"]).post(
        f"/api/v1/cases/{case.pk}/register/",
        {"category": world.category.pk, "authority": "township"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["step"] == Step.REGISTERED


def test_illegal_jump_is_409_and_changes_nothing():
    """Receive → reply is refused with 409 and a message in the user's language."""
    world = make_world()
    case = case_at(world, Step.RECEIVED)
    response = client_for(world.users["committee"]).post(
        f"/api/v1/cases/{case.pk}/reply/",
        {"result": "solved", "reply": "好", "public_reply": "好"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert "not possible" in response.json()["detail"]
    case.refresh_from_db()
    assert case.step == Step.RECEIVED and case.events.count() == 1


def test_anything_on_an_archived_case_is_409():
    world = make_world()
    case = case_at(world, Step.ARCHIVED)
    response = client_for(world.users["committee"]).post(
        f"/api/v1/cases/{case.pk}/supervise/", {"note": "再督办"}, format="json"
    )
    assert response.status_code == 409


def test_a_role_without_the_move_gets_403():
    """In scope but not theirs: the co-unit cannot reply for the lead unit."""
    world = make_world()
    case = case_at(world, Step.HANDLING)
    response = client_for(world.users["co_unit"]).post(
        f"/api/v1/cases/{case.pk}/reply/",
        {"result": "solved", "reply": "好", "public_reply": "好"},
        format="json",
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"constituent_phone": "12345"}, "constituent_phone"),
        ({"constituent_id_number": "110101199003070000"}, "constituent_id_number"),
        ({"constituent_name": "张\u0007三"}, "constituent_name"),
        ({"cases": [{"title": "x" * 201, "description": "y"}]}, "cases"),
    ],
)
def test_bad_visit_input_is_a_field_error(payload, field):
    """Malformed phones, ID numbers with a wrong check digit, control characters and
    oversized text are 400 with the field named; nothing is saved."""
    world = make_world()
    body = {
        "station": world.station.pk,
        "channel": "phone",
        "constituent_name": "李四",
        "cases": [{"title": "垃圾清运", "description": "每周只收一次"}],
        **payload,
    }
    response = client_for(world.users["liaison"]).post("/api/v1/visits/", body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert Case.objects.count() == 0


def test_logging_a_visit_raises_its_cases():
    world = make_world()
    response = client_for(world.users["liaison"]).post(
        "/api/v1/visits/",
        {
            "station": world.station.pk,
            "channel": "phone",
            "constituent_name": "李四",
            "constituent_phone": "+86 138 1234 5678",
            "constituent_id_number": "11010519491231002X",
            "cases": [
                {"title": "垃圾清运", "description": "每周只收一次"},
                {"title": "路面破损", "description": "村道坑洼"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["constituent_phone"] == "13812345678"
    assert len(response.json()["cases"]) == 2
    other = client_for(world.users["other_liaison"])
    assert other.get(f"/api/v1/visits/{response.json()['id']}/").status_code == 404
    assert client_for(world.users["lead_unit"]).get("/api/v1/visits/").json()["results"] == []


def test_merge_into_an_out_of_scope_case_is_no_such_case():
    world = make_world()
    case = case_at(world, Step.REGISTERED)
    outside = received(world)
    Case.objects.filter(pk=outside.pk).update(station=world.other_station, region_id="430181001000")
    response = client_for(world.users["liaison"]).post(
        f"/api/v1/cases/{case.pk}/merge/", {"into": outside.pk}, format="json"
    )
    assert response.status_code == 400 and "into" in response.json()


@frozen()
def test_filters():
    """step, category, station, region subtree, unit, overdue, due-soon and dates filter."""
    world = make_world()
    handling = case_at(world, Step.HANDLING)
    fresh = case_at(world, Step.RECEIVED)
    Case.objects.filter(pk=handling.pk).update(deadline=dt.date(2020, 1, 1))
    client = client_for(world.users["committee"])

    def ids(**params):
        response = client.get("/api/v1/cases/", params)
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert ids(step="handling") == {handling.pk}
    assert ids(step=["handling", "received"]) == {handling.pk, fresh.pk}
    assert ids(category=world.category.pk) == {handling.pk}
    assert ids(station=world.station.pk) == {handling.pk, fresh.pk}
    assert ids(station=world.other_station.pk) == set()
    assert ids(region="430121000000") == {handling.pk, fresh.pk}
    assert ids(region="430121002000") == set()
    assert ids(unit=world.unit.pk) == {handling.pk}
    assert ids(unit=world.co_unit.pk) == {handling.pk}
    assert ids(overdue="true") == {handling.pk}
    assert ids(overdue="false") == {fresh.pk}
    assert ids(due_soon="true") == {fresh.pk}
    today = dt.date.today()
    assert ids(received_after=today - dt.timedelta(days=1)) == {handling.pk, fresh.pk}
    assert ids(received_before=today - dt.timedelta(days=2)) == set()
    assert client.get("/api/v1/cases/", {"region": "43"}).status_code == 400


def test_schema_and_docs_are_served_without_a_cdn(client):
    """The OpenAPI schema lists one POST per transition; the docs load local assets only."""
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/cases/{id}/refer-by-letter/" in schema["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "unpkg" not in docs.lower()


def test_concurrent_moves_conflict_over_the_api_are_409(postgres):
    """Covered by tests/test_case_concurrency.py at the service level; here the mapping."""
    world = make_world()
    case = case_at(world, Step.RECEIVED)
    services.case_withdraw(case_id=case.pk, actor=world.users["liaison"], reason="撤回")
    response = client_for(world.users["committee"]).post(
        f"/api/v1/cases/{case.pk}/register/",
        {"category": world.category.pk, "authority": "township"},
        format="json",
    )
    assert response.status_code == 409
