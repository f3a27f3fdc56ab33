"""The region filter of the public lists at province scale: a county → township picker
whose page holds one county's townships, never all of them; an API filter that checks a
code with one lookup. Sizes and query counts are the same at 1 township and at 300."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from liaison.base.models import Region
from liaison.base.regions import RegionLevel
from stations.models import Station
from tests.factories import MembershipFactory, StationFactory, region

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
FIRST = "430121001000"  # the township of the small world, first of the big one
PAGES = ["/stations/", "/representatives/", "/", "/cases/outcomes/"]


def grow(counties=10, per_county=30) -> list[Station]:
    """``counties`` counties of ``per_county`` townships, each with an active station,
    written in bulk: the province-scale world."""
    region("430100000000", "长沙市")
    rows, stations = [], []
    for c in range(counties):
        county = f"4301{21 + c:02d}000000"
        rows.append(
            Region(code=county, name=f"第{c}县", level=RegionLevel.COUNTY, parent_id="430100000000")
        )
        for t in range(per_county):
            code = f"{county[:6]}{t + 1:03d}000"
            rows.append(
                Region(
                    code=code, name=f"第{c}县{t}镇", level=RegionLevel.TOWNSHIP, parent_id=county
                )
            )
            stations.append(Station(name=f"{c}-{t}站", region_id=code, address="便民服务中心"))
    Region.objects.bulk_create(rows, ignore_conflicts=True)
    Station.objects.bulk_create(stations, ignore_conflicts=True)
    cache.clear()
    return stations


def get(client, url) -> tuple[int, str]:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), response.content.decode()


def options(page: str, select: str) -> list[str]:
    body = re.search(rf'<select name="{select}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', body)


def selected(page: str, select: str) -> str | None:
    body = re.search(rf'<select name="{select}"[^>]*>(.*?)</select>', page, re.S).group(1)
    found = re.search(r'<option value="([^"]*)" selected', body)
    return found.group(1) if found else None


@pytest.mark.parametrize("path", PAGES)
def test_page_size_and_queries_do_not_grow_with_the_townships(client, path):
    MembershipFactory(station=StationFactory(region=region(FIRST)))
    url = f"{path}?county=430121000000&region={FIRST}"
    small_queries, small = get(client, url)
    grow()
    big_queries, big = get(client, url)
    assert big_queries == small_queries
    assert Region.objects.filter(level=RegionLevel.TOWNSHIP).count() == 300
    # Ten counties and the chosen county's thirty townships: never the 300.
    assert len(options(big, "county")) == 11
    assert len(options(big, "region")) == 31
    # The rest are the home figures' months and years, not townships.
    assert big.count("<option") < 100
    assert len(big.encode()) - len(small.encode()) < 8000


def test_without_javascript_a_county_then_a_township(client):
    grow(counties=3, per_county=4)
    _, page = get(client, "/stations/")
    assert options(page, "region") == [""]  # choose the county first
    assert "2-3站" in page and "0-0站" in page

    # Pick the second county and press "Filter": its townships, its stations.
    _, page = get(client, "/stations/?county=430122000000&region=&name=")
    assert selected(page, "county") == "430122000000"
    assert options(page, "region") == ["", *(f"430122{t:03d}000" for t in range(1, 5))]
    assert "1-0站" in page and "1-3站" in page and "0-0站" not in page

    # Then a township: the region persists in the query string.
    _, page = get(client, "/stations/?county=430122000000&region=430122002000")
    assert selected(page, "region") == "430122002000"
    assert "1-1站" in page and "1-0站" not in page

    # The county changed after the township: the old township no longer applies.
    _, page = get(client, "/stations/?county=430123000000&region=430122002000")
    assert selected(page, "county") == "430123000000"
    assert selected(page, "region") is None
    assert "2-0站" in page and "1-1站" not in page


def test_other_filters_combine_with_the_picker(client):
    grow(counties=2, per_county=3)
    _, page = get(client, "/stations/?county=430121000000&region=&name=0-2")
    assert "0-2站" in page and "0-1站" not in page and "1-2站" not in page


def test_a_link_by_region_or_by_station_alone_fills_the_picker(client):
    stations = grow(counties=2, per_county=3)
    _, page = get(client, "/stations/?region=430122000000")
    assert selected(page, "county") == "430122000000"
    assert "1-0站" in page and "0-0站" not in page

    station = Station.objects.get(name="1-2站")
    MembershipFactory(station=station, representative__name="赵镇代表")
    MembershipFactory(station=Station.objects.get(name="0-0站"), representative__name="钱县代表")
    _, page = get(client, f"/representatives/?station={station.pk}")
    assert selected(page, "county") == "430122000000"
    assert selected(page, "region") == "430122003000"
    assert selected(page, "station") == str(station.pk)
    assert "赵镇代表" in page and "钱县代表" not in page
    assert len(stations) == 6


def test_a_station_left_from_another_township_is_dropped(client):
    grow(counties=1, per_county=2)
    station = Station.objects.get(name="0-0站")
    MembershipFactory(station=station, representative__name="赵镇代表")
    MembershipFactory(station=Station.objects.get(name="0-1站"), representative__name="钱镇代表")
    url = f"/representatives/?county=430121000000&region=430121002000&station={station.pk}"
    _, page = get(client, url)
    assert selected(page, "station") is None
    assert "钱镇代表" in page and "赵镇代表" not in page


@pytest.mark.parametrize("value", ["abc", "43012100000", "4301210000000", "999999999999"])
def test_a_bad_region_on_a_page_gets_a_chinese_message(client, value):
    grow(counties=1, per_county=2)
    _, page = get(client, f"/stations/?region={value}")
    errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    assert errors and CJK.search(errors[0])


API_LISTS = [
    "/api/v1/public/stations/",
    "/api/v1/public/representatives/",
    "/api/v1/public/reception-days/",
]


@pytest.mark.parametrize("path", API_LISTS)
def test_api_region_filter_queries_do_not_grow_with_the_regions(path):
    api = APIClient()
    MembershipFactory(station=StationFactory(region=region(FIRST)))

    def count(code):
        with CaptureQueriesContext(connection) as ctx:
            response = api.get(f"{path}?region={code}")
        assert response.status_code == 200, response.content
        return len(ctx.captured_queries)

    small = [count("430121000000"), count(FIRST)]
    grow()
    assert [count("430121000000"), count(FIRST)] == small


def test_api_region_filter_by_subtree_and_bad_codes_are_400_in_chinese():
    api = APIClient()
    grow(counties=2, per_county=2)
    body = api.get("/api/v1/public/stations/?region=430122000000&page_size=100").json()
    assert sorted(s["name"] for s in body["results"]) == ["1-0站", "1-1站"]
    body = api.get("/api/v1/public/stations/?region=430100000000&page_size=100").json()
    assert len(body["results"]) == 4
    for value in ("abc", "4301220000000", "430199000000"):
        response = api.get(f"/api/v1/public/stations/?region={value}")
        assert response.status_code == 400, value
        assert CJK.search(" ".join(response.json()["region"]))
