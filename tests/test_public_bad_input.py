"""Bad input on the public forms: every case gets a clear Chinese message (or a 429 with
one), nothing is saved, nothing is ever a 500."""

import re

import pytest
from django.test import override_settings

from liaison.base.notifications.models import Notification
from stations.models import Visit
from suggestions.models import Case, CaseCategory
from tests.case_world import case_at, make_world
from tests.factories import StationFactory, region
from tests.public_helpers import fresh_cache, opinion  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

CJK = re.compile(r"[\u4e00-\u9fff]")
ERRORS = re.compile(r'<(?:ul|div) class="(?:errorlist[^"]*|alert)"[^>]*>(.*?)</(?:ul|div)>', re.S)

SCRIPT = "<script>alert('x')</script>"
BAD_SUBMISSIONS = {
    "empty name": {"name": ""},
    "blank name": {"name": "   "},
    "name of 51 characters": {"name": "张" * 51},
    "script tag in name": {"name": SCRIPT},
    "digits in name": {"name": "张三123"},
    "emoji as name": {"name": "😀"},
    "zero-width space in name": {"name": "张\u200b三"},
    "bell character in name": {"name": "张\x07三"},
    "null byte in name": {"name": "张\x00三"},
    "empty phone": {"phone": ""},
    "ten-digit phone": {"phone": "1381234567"},
    "twelve-digit phone": {"phone": "138123456789"},
    "letters in phone": {"phone": "138abcd5678"},
    "landline instead of mobile": {"phone": "0731-84012345"},
    "phone starting 12": {"phone": "12812345678"},
    "short full-width phone": {"phone": "１３８１２３"},
    "zero-width inside phone": {"phone": "138\u200b12345678"},
    "oversized phone": {"phone": "1" * 40},
    "empty subject": {"title": ""},
    "subject of 101 characters": {"title": "路" * 101},
    "script tag in subject": {"title": SCRIPT},
    "empty opinion": {"description": ""},
    "one-character opinion": {"description": "好"},
    "opinion of 2001 characters": {"description": "灯" * 2001},
    "script tag in opinion": {"description": f"路灯坏了{SCRIPT}"},
    "img onerror in opinion": {"description": "路灯坏了<img src=x onerror=alert(1)>"},
    "zero-width joiner in opinion": {"description": "路灯坏了\u200d一个月"},
    "right-to-left override in opinion": {"description": "路灯坏了\u202e一个月"},
    "escape character in opinion": {"description": "路灯坏了\x1b[31m一个月"},
    "consent not given": {"consent": None},
    "honeypot filled in": {"website": "http://spam.example"},
    "neither station nor township": {"station": "", "region": ""},
    "unknown station": {"station": "999999"},
    "station id not a number": {"station": "abc"},
    "unknown township code": {"station": "", "region": "999999999999"},
    "no category": {"category": ""},
    "unknown category": {"category": "abc"},
}


def assert_refused_in_chinese(response, status=400):
    assert response.status_code == status
    messages = " ".join(ERRORS.findall(response.content.decode()))
    assert CJK.search(messages), messages
    assert not Visit.objects.exists()
    assert not Case.objects.exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize("changes", BAD_SUBMISSIONS.values(), ids=BAD_SUBMISSIONS.keys())
def test_bad_submission_is_refused_in_chinese_and_saves_nothing(client, changes):
    station = StationFactory()
    response = client.post("/cases/submit/", opinion(station, **changes))
    assert_refused_in_chinese(response)


def test_inactive_station_and_category_are_refused(client):
    station = StationFactory(active=False)
    response = client.post("/cases/submit/", opinion(station))
    assert_refused_in_chinese(response)
    inactive = CaseCategory.objects.create(code="closed", name="停用", active=False)
    response = client.post("/cases/submit/", opinion(StationFactory(), category=str(inactive.pk)))
    assert_refused_in_chinese(response)


def test_township_without_any_station_is_refused(client):
    empty = region("430121003000", "泉塘街道")
    response = client.post(
        "/cases/submit/", opinion(StationFactory(), station="", region=empty.code)
    )
    assert_refused_in_chinese(response)


def test_the_same_opinion_submitted_twice_is_received_once(client):
    station = StationFactory()
    assert client.post("/cases/submit/", opinion(station)).status_code == 200
    again = client.post("/cases/submit/", opinion(station, phone="138 1234 5678"))
    assert again.status_code == 400
    assert CJK.search(" ".join(ERRORS.findall(again.content.decode())))
    assert Case.objects.count() == 1
    assert Notification.objects.count() == 1


@override_settings(SUBMIT_LIMIT_PER_PHONE_DAY=2)
def test_one_phone_is_limited_per_day(client):
    station = StationFactory()
    for n in range(2):
        client.post("/cases/submit/", opinion(station, description=f"第{n}条意见：路灯不亮。"))
    response = client.post("/cases/submit/", opinion(station, description="第三条意见：路灯。"))
    assert response.status_code == 429
    assert "请稍后再试" in response.content.decode()
    assert Case.objects.count() == 2


@override_settings(SUBMIT_LIMIT_PER_IP_HOUR=3)
def test_one_address_is_limited_per_hour_even_with_bad_input(client):
    station = StationFactory()
    for _ in range(3):
        client.post("/cases/submit/", opinion(station, phone="123"))
    response = client.post("/cases/submit/", opinion(station, phone="13900001111"))
    assert response.status_code == 429
    assert "请稍后再试" in response.content.decode()
    assert not Case.objects.exists()


BAD_LOOKUPS = {
    "empty code": {"code": "", "check": "5678"},
    "empty check": {"check": ""},
    "malformed code": {"code": "ABC", "check": "5678"},
    "oversized code": {"code": "A" * 31},
    "script tag as code": {"code": SCRIPT},
    "letters as check": {"check": "abcd"},
    "wrong check": {"check": "0000"},
    "code nobody has": {"code": "2345-6789-AB"},
    "null byte in code": {"code": "ABCD\x00EFGH"},
}


@pytest.mark.parametrize("changes", BAD_LOOKUPS.values(), ids=BAD_LOOKUPS.keys())
def test_bad_lookup_gets_a_chinese_message_and_no_case(client, changes):
    case = case_at(make_world(), "registered")
    data = {"code": case.tracking_code, "check": "5678", **changes}
    response = client.post("/cases/status/", data)
    assert response.status_code in (400, 404)
    page = response.content.decode()
    assert CJK.search(" ".join(ERRORS.findall(page)))
    assert 'data-testid="case-status"' not in page
