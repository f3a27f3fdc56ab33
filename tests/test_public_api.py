"""The public read-only API: anonymous, throttled, published fields only, in the OpenAPI
schema; case status by code plus check with the page's limits."""

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from suggestions.models import Step
from tests.case_world import case_at, make_world
from tests.clock import frozen
from tests.factories import MembershipFactory, RepresentativeFactory, StationFactory, region
from tests.public_helpers import fresh_cache  # noqa: F401
from tests.reception_factories import published_day

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

CONSTITUENT_FIELDS = {
    "constituent_name",
    "constituent_phone",
    "constituent_address",
    "constituent_id_number",
    "visit",
    "description",
    "reply",
}


@pytest.fixture
def api():
    return APIClient()


def count(api, url) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


def test_representatives_are_published_only_and_carry_no_private_phone(api):
    shown = MembershipFactory(representative__name="公开代表").representative
    RepresentativeFactory(name="隐藏代表", published=False)
    body = api.get("/api/v1/public/representatives/").json()
    assert [r["name"] for r in body["results"]] == ["公开代表"]
    item = body["results"][0]
    assert "private_phone" not in item and "email" not in item
    assert shown.private_phone not in str(body)
    assert item["stations"][0]["id"] == shown.station_memberships.get().station_id


@frozen()
def test_lists_keep_constant_queries_at_1_and_50_rows(api):
    today = dt.date.today()
    station = StationFactory()
    rep = MembershipFactory(station=station).representative
    published_day(station, [rep], today + dt.timedelta(days=1), today=today)
    urls = [
        "/api/v1/public/representatives/?page_size=50",
        "/api/v1/public/stations/?page_size=50",
        "/api/v1/public/reception-days/?page_size=50",
    ]
    one = [count(api, url)[0] for url in urls]
    for index in range(2, 51):
        other = StationFactory(region=region(f"430121001{index:03d}"))
        rep = MembershipFactory(station=other).representative
        published_day(other, [rep], today + dt.timedelta(days=index), today=today)
    many = [count(api, url) for url in urls]
    assert [queries for queries, _ in many] == one
    assert all(len(body["results"]) == 50 for _, body in many)


@frozen()
def test_stations_and_days_filter_by_region_and_bad_filters_are_400(api):
    today = dt.date.today()
    here = StationFactory(name="星沙站", region=region("430121001000"))
    there = StationFactory(name="浏阳站", region=region("430181001000"))
    for station in (here, there):
        rep = MembershipFactory(station=station).representative
        published_day(station, [rep], today + dt.timedelta(days=3), today=today)
    stations = api.get("/api/v1/public/stations/?region=430121000000").json()["results"]
    assert [s["name"] for s in stations] == ["星沙站"]
    days = api.get("/api/v1/public/reception-days/?region=430181000000").json()["results"]
    assert [d["station_name"] for d in days] == ["浏阳站"]
    assert days[0]["on_duty"][0]["name"]
    assert api.get("/api/v1/public/stations/?region=xyz").status_code == 400
    assert api.get("/api/v1/public/reception-days/?start=notadate").status_code == 400


def test_the_answer_is_the_same_for_a_logged_in_user(api):
    world = make_world()
    anonymous = api.get("/api/v1/public/stations/").json()
    api.force_authenticate(world.users["admin"])
    assert api.get("/api/v1/public/stations/").json() == anonymous


def test_public_api_is_read_only(api):
    assert api.post("/api/v1/public/stations/", {"name": "x"}).status_code == 405


def test_case_status_by_code_and_check(api):
    world = make_world()
    case = case_at(world, Step.HANDLING)
    response = api.post(
        "/api/v1/public/case-status/", {"code": case.tracking_code, "check": "5678"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["step"] == "handling"
    assert body["lead_unit_name"] == world.unit.name
    assert [s["step"] for s in body["steps"]] == ["received", "registered", "handling"]
    assert not CONSTITUENT_FIELDS & set(body)
    assert "张三" not in response.content.decode()
    assert "13812345678" not in response.content.decode()


def test_case_status_wrong_check_and_unknown_code_answer_alike(api):
    case = case_at(make_world(), Step.RECEIVED)
    wrong = api.post("/api/v1/public/case-status/", {"code": case.tracking_code, "check": "1111"})
    unknown = api.post("/api/v1/public/case-status/", {"code": "2345-6789-AB", "check": "5678"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    assert "未找到" in wrong.json()["detail"]
    missing = api.post("/api/v1/public/case-status/", {"code": ""})
    assert missing.status_code == 400
    assert set(missing.json()) == {"code", "check"}


@override_settings(STATUS_WRONG_CHECKS_PER_CODE_HOUR=2)
def test_case_status_locks_a_code_after_wrong_checks(api):
    case = case_at(make_world(), Step.RECEIVED)
    for guess in ("0001", "0002"):
        api.post("/api/v1/public/case-status/", {"code": case.tracking_code, "check": guess})
    locked = api.post("/api/v1/public/case-status/", {"code": case.tracking_code, "check": "5678"})
    assert locked.status_code == 429
    assert "请稍后再试" in locked.json()["detail"]


def test_public_lists_are_throttled_per_address_with_a_chinese_message(api, monkeypatch):
    # DRF reads the rates into the class once, at import.
    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", {"public": "3/min", "public_case_status": "3/min"}
    )
    for _ in range(3):
        assert api.get("/api/v1/public/stations/").status_code == 200
    throttled = api.get("/api/v1/public/stations/")
    assert throttled.status_code == 429
    assert "限" in throttled.json()["detail"], throttled.json()
    other = APIClient(REMOTE_ADDR="10.0.0.7")
    assert other.get("/api/v1/public/stations/").status_code == 200


def test_public_endpoints_are_in_the_openapi_schema(api):
    schema = api.get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/public/representatives/",
        "/api/v1/public/representatives/{id}/",
        "/api/v1/public/stations/",
        "/api/v1/public/reception-days/",
        "/api/v1/public/case-status/",
    ):
        assert path in schema["paths"], path
    status_schema = schema["components"]["schemas"]["PublicCaseStatus"]["properties"]
    assert not CONSTITUENT_FIELDS & set(status_schema)
