"""The constituent reads the reply and rates it on the status page (and over the public
API): the SMS link fills in the code, the rating form carries the code and check again;
bad input — a wrong check, a second rating, script text — gets a clear Chinese message and
changes nothing, never a 500."""

import re

import pytest

from suggestions.models import CaseRating, Step
from tests.case_world import case_at, make_world
from tests.public_helpers import fresh_cache  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

CJK = re.compile(r"[\u4e00-\u9fff]")
ERRORS = re.compile(
    r'<(?:ul|div|p) class="(?:errorlist[^"]*|alert|notice)"[^>]*>(.*?)</(?:ul|div|p)>', re.S
)
SCRIPT = "<script>alert('x')</script>"


def rating(case, **changes) -> dict:
    data = {
        "code": case.tracking_code,
        "check": "5678",
        "satisfaction": "satisfied",
        "comment": "修得很快",
    }
    data.update(changes)
    return data


def test_the_sms_link_fills_in_the_code_and_the_page_shows_the_reply(client):
    case = case_at(make_world(), Step.REPLIED)
    page = client.get(f"/cases/status/?code={case.tracking_code.lower()}").content.decode()
    assert f'value="{case.tracking_code}"' in page
    page = client.post("/cases/status/", {"code": case.tracking_code, "check": "5678"})
    body = page.content.decode()
    assert "村口路灯已修复。" in body and 'data-testid="rating-form"' in body
    # The staff's own reply and the constituent's name stay off the page.
    assert "已修复路灯" not in body and "张三" not in body and "13812345678" not in body


def test_a_rating_is_recorded_once_and_shown(client):
    case = case_at(make_world(), Step.REPLIED)
    response = client.post("/cases/status/rate/", rating(case))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="rated"' in body and 'data-testid="rating-form"' not in body
    case.refresh_from_db()
    assert case.step == Step.FEEDBACK and case.satisfaction == "satisfied"
    again = client.post("/cases/status/rate/", rating(case, satisfaction="unsatisfied"))
    assert again.status_code == 409
    assert CJK.search(" ".join(ERRORS.findall(again.content.decode())))
    assert CaseRating.objects.get(case=case).satisfaction == "satisfied"


BAD_RATINGS = {
    "wrong check": ({"check": "0000"}, 404),
    "no check": ({"check": ""}, 400),
    "letters as check": ({"check": "abcd"}, 404),
    "code nobody has": ({"code": "2345-6789-AB"}, 404),
    "no rating chosen": ({"satisfaction": ""}, 400),
    "unknown rating": ({"satisfaction": "great"}, 400),
    "script tag in comment": ({"comment": f"不满意{SCRIPT}"}, 400),
    "bell character in comment": ({"comment": "不满意\x07"}, 400),
    "comment of 501 characters": ({"comment": "灯" * 501}, 400),
}


@pytest.mark.parametrize(("changes", "status"), BAD_RATINGS.values(), ids=BAD_RATINGS.keys())
def test_bad_rating_gets_a_chinese_message_and_changes_nothing(client, changes, status):
    case = case_at(make_world(), Step.REPLIED)
    response = client.post("/cases/status/rate/", rating(case, **changes))
    assert response.status_code == status
    assert CJK.search(" ".join(ERRORS.findall(response.content.decode())))
    assert SCRIPT not in response.content.decode()
    case.refresh_from_db()
    assert case.step == Step.REPLIED and not CaseRating.objects.exists()


def test_a_case_not_replied_offers_no_rating(client):
    case = case_at(make_world(), Step.HANDLING)
    page = client.post("/cases/status/", {"code": case.tracking_code, "check": "5678"})
    assert 'data-testid="rating-form"' not in page.content.decode()
    response = client.post("/cases/status/rate/", rating(case))
    assert response.status_code == 409
    assert not CaseRating.objects.exists()


def test_wrong_checks_on_the_rating_form_count_against_the_code(client, settings):
    settings.STATUS_WRONG_CHECKS_PER_CODE_HOUR = 2
    case = case_at(make_world(), Step.REPLIED)
    for _ in range(2):
        assert client.post("/cases/status/rate/", rating(case, check="0000")).status_code == 404
    assert client.post("/cases/status/rate/", rating(case)).status_code == 429
    assert not CaseRating.objects.exists()


def test_the_public_api_rates_once_and_unsatisfied_reopens(client):
    world = make_world()
    case = case_at(world, Step.REPLIED)
    url = "/api/v1/public/case-rating/"
    wrong = client.post(url, rating(case, check="0000"), content_type="application/json")
    assert wrong.status_code == 404
    bad = client.post(url, rating(case, comment=SCRIPT), content_type="application/json")
    assert bad.status_code == 400 and "comment" in bad.json()
    done = client.post(
        url, rating(case, satisfaction="unsatisfied"), content_type="application/json"
    )
    assert done.status_code == 200
    assert done.json()["step"] == Step.HANDLING and done.json()["public_reply"] == ""
    again = client.post(url, rating(case), content_type="application/json")
    assert again.status_code == 409
    status = client.post(
        "/api/v1/public/case-status/",
        {"code": case.tracking_code, "check": "5678"},
        content_type="application/json",
    ).json()
    assert "张三" not in str(status) and "13812345678" not in str(status)
