"""The public case flow in real Chromium: a constituent raises an opinion from the
station's page, gets a tracking code, looks it up, and sees it registered once the
liaison has acted; the same pages in English and on a phone-sized screen."""

import re

import pytest
from django.core.cache import cache

from suggestions import services
from suggestions.models import Case
from tests.case_world import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def fill_opinion(page, world):
    page.get_by_label("您的姓名").fill("𠮷田·阿明")
    page.get_by_label("手机号码").fill("１３８ １２３４ ５６７８")
    page.get_by_label("类别").select_option(label=world.category.name)
    page.get_by_label("标题").fill("村口路灯不亮")
    page.get_by_label("意见内容").fill("村口三盏路灯坏了一个月，晚上出行不便。")
    page.get_by_label("我已阅读并同意上述个人信息使用说明。").check()


def look_up(page, code: str):
    page.goto("/cases/status/")
    page.get_by_label("查询码").fill(code)
    page.get_by_label("所留手机号码后4位").fill("5678")
    page.get_by_role("button", name="查询").click()
    page.wait_for_selector('[data-testid="case-status"]')


def test_constituent_submits_follows_and_sees_it_registered(page, screenshot):
    world = make_world()
    page.goto(f"/stations/{world.station.pk}/")
    screenshot(page, "public-station-with-qr-zh")
    page.get_by_role("link", name="向本站网上反映意见").click()
    page.wait_for_url("**/cases/submit/?station=*")
    # The QR link preselects the station.
    assert page.get_by_label("联络站").input_value() == str(world.station.pk)
    fill_opinion(page, world)
    screenshot(page, "public-submit-zh")
    page.get_by_role("button", name="提交").click()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}", code)
    screenshot(page, "public-submitted-zh")

    look_up(page, code.lower())
    assert page.locator(".step").inner_text() == "接待"

    case = Case.objects.get(tracking_code=code)
    services.case_register(
        case_id=case.pk,
        actor=world.users["liaison"],
        category=world.category,
        authority="township",
    )
    look_up(page, code)
    assert page.locator(".step").inner_text() == "登记"
    assert "𠮷田" not in page.content()
    assert "13812345678" not in page.content()
    screenshot(page, "public-status-registered-zh")


def test_a_wrong_check_shows_a_chinese_message(page):
    page.goto("/cases/status/")
    page.get_by_label("查询码").fill("2345-6789-AB")
    page.get_by_label("所留手机号码后4位").fill("0000")
    page.get_by_role("button", name="查询").click()
    assert page.get_by_role("alert").inner_text().startswith("查询码或手机号码后4位不正确")


def test_public_pages_in_english_and_on_a_phone(page, screenshot):
    world = make_world()
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "public-home-en")
    page.get_by_role("link", name="Raise an opinion").first.click()
    assert page.get_by_role("heading", name="Raise an opinion").is_visible()
    assert page.get_by_text("How your personal information is used").is_visible()
    screenshot(page, "public-submit-en")
    page.get_by_role("link", name="Case status", exact=True).click()
    assert page.get_by_role("button", name="Look up").is_visible()
    page.get_by_role("link", name="Outcomes", exact=True).click()
    assert page.get_by_role("heading", name="Published outcomes").is_visible()

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/stations/{world.station.pk}/")
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "public-station-phone-en")
    page.goto(f"/stations/{world.station.pk}/poster/")
    assert page.locator("img.poster-qr").is_visible()
    screenshot(page, "public-poster-en")
