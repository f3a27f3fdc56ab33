"""The public directory in real Chromium: a person finds a station and its on-duty
representatives, and switches the site to English."""

import datetime as dt

import pytest

from tests.factories import MembershipFactory, StationFactory
from tests.reception_factories import published_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_station_schedule_in_the_browser_and_in_english(page, screenshot):
    today = dt.date.today()
    station = StationFactory(name="星沙街道代表联络站")
    representative = MembershipFactory(station=station, representative__name="李明").representative
    published_day(station, [representative], today + dt.timedelta(days=6), today=today)

    page.goto("/stations/")
    page.get_by_role("link", name="星沙街道代表联络站").click()
    page.wait_for_url(f"**/stations/{station.pk}/")
    assert page.get_by_text("李明").first.is_visible()
    screenshot(page, "public-station-zh")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Stations", exact=True).is_visible()
