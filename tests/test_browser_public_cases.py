"""The public case flow in real Chromium: a constituent raises an opinion from the
station's page, gets a tracking code, looks it up, and sees it registered once the
liaison has acted; picks the place county → township → station, with JavaScript and
without; the same pages in English and on a phone-sized screen."""

import re

import pytest
from django.core.cache import cache

from suggestions.cases import services
from suggestions.models import Case
from tests.case_world import COUNTY, OTHER_COUNTY, TOWNSHIP, make_world
from tests.factories import StationFactory, region

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
    # The QR link preselects the station, and its township and county with it.
    assert page.get_by_label("联络站").input_value() == str(world.station.pk)
    assert page.get_by_label("乡镇（街道）").input_value() == TOWNSHIP
    assert page.get_by_label("县（市、区）").input_value() == COUNTY
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


def picker_world():
    """Two named counties; 星沙街道 with its own station and a village's."""
    region(COUNTY, "长沙县")
    region(OTHER_COUNTY, "浏阳市")
    world = make_world()
    village = StationFactory(name="花园村联络站", region=region("430121001201", "花园村"))
    return world, village


def test_constituent_picks_county_township_and_station_in_the_browser(page, screenshot):
    world, village = picker_world()
    page.goto("/cases/submit/")
    # With JavaScript the lists load as one picks: no "show" buttons.
    assert page.get_by_role("button", name="显示乡镇（街道）").is_hidden()
    county, township, station = (
        page.get_by_label(label) for label in ("县（市、区）", "乡镇（街道）", "联络站")
    )
    assert county.locator("option").all_inner_texts() == ["— 请选择 —", "长沙县", "浏阳市"]
    assert station.locator("option").count() == 1
    county.select_option(label="长沙县")
    # selectOption waits for the option the public API brought.
    township.select_option(label="星沙街道")
    station.select_option(label="花园村 · 花园村联络站")
    assert station.locator("option").all_inner_texts() == [
        "不指定，由所在乡镇（街道）的联络站受理",
        f"星沙街道 · {world.station.name}",
        "花园村 · 花园村联络站",
    ]
    fill_opinion(page, world)
    screenshot(page, "public-submit-picker-zh")
    page.get_by_role("button", name="提交").click()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert Case.objects.get(tracking_code=code).station == village

    # Another county empties the lists below it; a township alone goes to its station.
    page.goto("/cases/submit/")
    county.select_option(label="长沙县")
    township.select_option(label="星沙街道")
    station.select_option(label="花园村 · 花园村联络站")
    county.select_option(label="浏阳市")
    township.select_option(label=world.other_station.region.name)
    assert station.input_value() == ""
    fill_opinion(page, world)
    # Another phone: the same phone and text within a day would be the same opinion.
    page.get_by_label("手机号码").fill("13900001111")
    page.get_by_role("button", name="提交").click()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert Case.objects.get(tracking_code=code).station == world.other_station


def test_without_javascript_the_show_buttons_walk_the_picker(browser, live_server, screenshot):
    world, _ = picker_world()
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/cases/submit/")
    fill_opinion(page, world)
    page.get_by_label("县（市、区）").select_option(label="长沙县")
    page.get_by_role("button", name="显示乡镇（街道）").click()
    page.get_by_label("乡镇（街道）").select_option(label="星沙街道")
    page.get_by_role("button", name="显示联络站").click()
    # What was typed is still there, and nothing was sent yet.
    assert page.get_by_label("标题").input_value() == "村口路灯不亮"
    assert page.get_by_label("我已阅读并同意上述个人信息使用说明。").is_checked()
    assert not Case.objects.exists()
    assert page.get_by_label("联络站").locator("option").count() == 3
    screenshot(page, "public-submit-nojs-zh")
    # Enter in a text field sends the opinion; it does not press a "show" button.
    page.get_by_label("标题").press("Enter")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert Case.objects.get(tracking_code=code).station == world.station
    context.close()


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
