"""The public directory in real Chromium: a person finds a station and its on-duty
representatives, and switches the site to English."""

import datetime as dt

import pytest
from django.core.cache import cache

from tests.factories import MembershipFactory, StationFactory, region
from tests.reception_factories import published_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_station_schedule_in_the_browser_and_in_english(page, screenshot):
    today = dt.date.today()
    region("430121000000", "长沙县")
    station = StationFactory(name="星沙街道代表联络站")
    representative = MembershipFactory(station=station, representative__name="李明").representative
    published_day(station, [representative], today + dt.timedelta(days=6), today=today)
    StationFactory(name="黄花镇代表联络站", region=region("430121105000", "黄花镇"))
    StationFactory(name="淮川街道代表联络站", region=region("430181001000", "淮川街道"))
    cache.clear()  # the picker's lists are cached

    # The region filter: a county, then one of its townships loaded by the script.
    page.goto("/stations/")
    page.get_by_label("县（市、区）").select_option(label="长沙县")
    page.get_by_label("乡镇（街道）").select_option(label="黄花镇")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**region=430121105000**")
    assert page.get_by_role("link", name="黄花镇代表联络站").is_visible()
    assert page.get_by_role("link", name="星沙街道代表联络站").count() == 0
    assert page.get_by_role("link", name="淮川街道代表联络站").count() == 0
    assert page.get_by_label("乡镇（街道）").input_value() == "430121105000"

    page.goto("/stations/")
    page.get_by_role("link", name="星沙街道代表联络站").click()
    page.wait_for_url(f"**/stations/{station.pk}/")
    assert page.get_by_text("李明").first.is_visible()
    screenshot(page, "public-station-zh")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Stations", exact=True).is_visible()
