"""The opinion form's place picker: county → township → (optionally) station, each list
one region's children from a small public answer. The form page keeps its size and its
query count however many stations the province has, a station's QR link preselects it,
and without JavaScript the "show" buttons post the form back with the next list."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from liaison.base.models import Region
from stations.models import Station, Visit
from suggestions.models import Case
from tests.factories import StationFactory, region
from tests.public_helpers import fresh_cache, opinion  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

CHANGSHA_COUNTY = "430121000000"
LIUYANG = "430181000000"
YUHU = "430302000000"
XINGSHA = "430121001000"
TOWNSHIPS = {
    county: [f"{county[:6]}{n:03d}000" for n in range(1, 6)]
    for county in (CHANGSHA_COUNTY, LIUYANG, YUHU)
}
OPTION = re.compile(r"<option ")
# What a picker answer may carry, and nothing else: no address, phone or person.
STATION_KEYS = {"id", "name", "region", "region_name"}


def seed(per_township: int) -> list[Station]:
    """Three counties of two cities, five townships each, ``per_township`` stations in
    each township (every other one in a village)."""
    region("430100000000", "长沙市")
    region("430300000000", "湘潭市")
    names = {CHANGSHA_COUNTY: "长沙县", LIUYANG: "浏阳市", YUHU: "雨湖区"}
    stations = []
    for county, townships in TOWNSHIPS.items():
        region(county, names[county])
        for code in townships:
            township = region(code, f"{names[county]}{code[6:9]}镇")
            have = Station.objects.filter(region__code__startswith=code[:9]).count()
            for n in range(have, per_township):
                place = township if n % 2 == 0 else region(f"{code[:9]}{200 + n:03d}")
                stations.append(Station(name=f"第{n}站", region=place, address="便民服务中心"))
    return Station.objects.bulk_create(stations)


def measure(client, url: str = "/cases/submit/") -> tuple[int, str]:
    """Queries and HTML of a page with nothing cached yet."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def options(page: str, field: str) -> list[str]:
    select = re.search(rf'<select name="{field}".*?</select>', page, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"', select)


def test_the_form_page_does_not_grow_with_the_number_of_stations(client):
    seed(per_township=1)
    first = Station.objects.get(region_id=XINGSHA)
    few = measure(client)
    few_preselected = measure(client, f"/cases/submit/?station={first.pk}")
    seed(per_township=20)
    assert Station.objects.count() == 300
    many = measure(client)
    many_preselected = measure(client, f"/cases/submit/?station={first.pk}")

    # The same queries at 15 and at 300 stations, and the same page: the counties only.
    assert many[0] == few[0]
    assert len(OPTION.findall(many[1])) == len(OPTION.findall(few[1])) < 20
    assert options(many[1], "county") == ["", CHANGSHA_COUNTY, LIUYANG, YUHU]
    assert options(many[1], "station") == [""]
    # From the QR link: the county's townships and the township's 20 stations, not 300.
    assert many_preselected[0] == few_preselected[0]
    assert options(many_preselected[1], "region") == ["", *TOWNSHIPS[CHANGSHA_COUNTY]]
    assert len(options(many_preselected[1], "station")) == 1 + 20
    assert len(OPTION.findall(many_preselected[1])) < 45
    # Counties grouped by city when there are several.
    assert '<optgroup label="长沙市">' in many[1] and '<optgroup label="湘潭市">' in many[1]


def test_once_cached_the_form_page_reads_only_the_categories(client):
    seed(per_township=2)
    station = Station.objects.filter(region_id=XINGSHA).first()
    client.get(f"/cases/submit/?station={station.pk}")
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/cases/submit/?station={station.pk}")
    # The categories, and the station's township from its id.
    assert len(ctx.captured_queries) == 2, [q["sql"] for q in ctx.captured_queries]


def test_the_qr_link_preselects_the_station_its_township_and_county(client):
    seed(per_township=3)
    station = Station.objects.filter(region__code__startswith="430181002", region__level="village")
    station = station.get()
    page = client.get(f"/cases/submit/?station={station.pk}").content.decode()
    assert f'<option value="{station.pk}" selected>' in page
    assert '<option value="430181002000" selected>' in page
    assert f'<option value="{LIUYANG}" selected>' in page


def test_a_single_county_is_chosen_already_and_its_townships_listed(client):
    StationFactory(region=region(XINGSHA, "星沙街道"))
    StationFactory(region=region("430121002201", "花园村"))
    page = client.get("/cases/submit/").content.decode()
    assert f'<option value="{CHANGSHA_COUNTY}" selected>' in page
    assert options(page, "region") == ["", XINGSHA, "430121002000"]


def test_bad_preselection_preselects_nothing(client):
    seed(per_township=1)
    for query in ("station=abc", "station=999999", "region=abc", "county=430121"):
        response = client.get(f"/cases/submit/?{query}")
        assert response.status_code == 200
        page = response.content.decode()
        assert options(page, "station") == [""]
        chosen = re.findall(r'<option value="([^"]+)" selected>', page.split('name="category"')[0])
        assert chosen == [], query


# The answers the picker loads.


@pytest.fixture
def api():
    return APIClient()


def test_children_are_only_the_asked_regions_children_with_an_active_station(api):
    seed(per_township=2)
    # A township with only a closed station, and one with none: neither is offered.
    closed = region("430121006000", "停用镇")
    Station.objects.create(name="停用站", region=closed, address="-", active=False)
    region("430121007000", "空镇")
    body = api.get(f"/api/v1/public/regions/{CHANGSHA_COUNTY}/children/").json()
    assert body["code"] == CHANGSHA_COUNTY and body["level"] == "county"
    assert [c["code"] for c in body["children"]] == TOWNSHIPS[CHANGSHA_COUNTY]
    assert {c["level"] for c in body["children"]} == {"township"}
    city = api.get("/api/v1/public/regions/430100000000/children/").json()
    assert [c["code"] for c in city["children"]] == [CHANGSHA_COUNTY, LIUYANG]
    # A township's children are its villages with a station.
    township = api.get(f"/api/v1/public/regions/{XINGSHA}/children/").json()
    assert [c["code"] for c in township["children"]] == ["430121001201"]


def test_stations_are_the_townships_active_ones_its_own_first_and_public_fields_only(api):
    seed(per_township=4)
    Station.objects.create(name="关闭站", region_id=XINGSHA, address="-", active=False)
    body = api.get(f"/api/v1/public/regions/{XINGSHA}/stations/").json()
    expected = Station.objects.active().filter(region__code__startswith="430121001")
    assert sorted(s["id"] for s in body["stations"]) == sorted(s.pk for s in expected)
    assert len(body["stations"]) == 4
    assert [s["region"] for s in body["stations"]][:2] == [XINGSHA, XINGSHA]
    assert all(set(s) == STATION_KEYS for s in body["stations"])
    assert "便民服务中心" not in str(body)
    village = api.get("/api/v1/public/regions/430121001201/stations/").json()
    assert [s["region"] for s in village["stations"]] == ["430121001201"]


def count(api, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def test_answers_take_a_constant_number_of_queries_and_none_once_cached(api):
    seed(per_township=1)
    urls = [
        f"/api/v1/public/regions/{CHANGSHA_COUNTY}/children/",
        f"/api/v1/public/regions/{XINGSHA}/stations/",
    ]
    few = [count(api, url) for url in urls]
    assert [count(api, url) for url in urls] == [0, 0]
    seed(per_township=30)
    cache.clear()
    assert [count(api, url) for url in urls] == few == [3, 2]
    response = api.get(urls[1])
    assert len(response.json()["stations"]) == 30
    assert response["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("abc/children", 400, "区划代码"),
        ("430121001/stations", 400, "区划代码"),
        ("４３０１２１００１０００/children", 400, "区划代码"),
        ("4301%2021000/children", 400, "区划代码"),
        ("9" * 300 + "/children", 400, "区划代码"),
        ("439999000000/children", 404, "没有这个区划代码"),
        ("439999000000/stations", 404, "没有这个区划代码"),
        (f"{CHANGSHA_COUNTY}/stations", 400, "请先选择乡镇"),
    ],
)
def test_bad_codes_get_a_clear_message_and_change_nothing(api, path, status, message):
    seed(per_township=1)
    regions, stations = Region.objects.count(), Station.objects.count()
    cache.clear()
    response = api.get(f"/api/v1/public/regions/{path}/")
    assert response.status_code == status
    assert message in str(response.json()), response.json()
    assert (Region.objects.count(), Station.objects.count()) == (regions, stations)
    # Nothing cached under the code (the 300 digits would not even make a valid key).
    code = path.split("/")[0][:20]
    assert cache.get(f"places:children:{code}") is None
    assert cache.get(f"places:stations:{code}") is None


def test_the_picker_answers_are_not_throttled_unlike_the_public_lists(api, monkeypatch):
    seed(per_township=1)
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"public": "2/min"})
    for _ in range(10):
        assert api.get(f"/api/v1/public/regions/{XINGSHA}/stations/").status_code == 200
    for _ in range(2):
        api.get("/api/v1/public/stations/")
    assert api.get("/api/v1/public/stations/").status_code == 429


# Sending the form with the picker.


def test_county_and_township_without_a_station_go_to_the_townships_station(client):
    seed(per_township=2)
    own = Station.objects.get(region_id="430181003000")
    data = opinion(own, county=LIUYANG, region="430181003000", station="")
    assert client.post("/cases/submit/", data).status_code == 200
    assert Case.objects.get().station == own


def test_a_station_in_the_chosen_township_is_taken_as_chosen(client):
    seed(per_township=3)
    village = Station.objects.get(region_id="430181003201")
    data = opinion(village, county=LIUYANG, region="430181003000")
    assert client.post("/cases/submit/", data).status_code == 200
    assert Case.objects.get().station == village


def field_block(page: str, name: str) -> str:
    """The field's own block: its label, control and the errors beside it."""
    blocks = page.split('<div class="field')
    return next(block for block in blocks if f'<label for="id_{name}"' in block)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"station": "", "region": "abc"}, "region", "请从列表中选择乡镇（街道）"),
        ({"station": "", "county": LIUYANG, "region": XINGSHA}, "region", "请从列表中选择乡镇"),
        ({"station": "", "county": "430121", "region": ""}, "county", "请从列表中选择县"),
        ({"station": "", "county": "", "region": ""}, "county", "请选择您所在的县"),
        ({"station": "", "county": LIUYANG, "region": ""}, "region", "请选择您所在的乡镇"),
        ({"region": "430181001000"}, "station", "不在您选择的乡镇"),
        ({"county": LIUYANG, "region": ""}, "station", "不在您选择的县"),
        ({"station": "999999", "region": XINGSHA}, "station", "不受理网上意见"),
    ],
)
def test_bad_places_are_refused_beside_their_field_and_save_nothing(
    client, changes, field, message
):
    seed(per_township=2)
    station = Station.objects.get(region_id=XINGSHA)
    response = client.post("/cases/submit/", opinion(station, **changes))
    assert response.status_code == 400
    block = field_block(response.content.decode(), field)
    assert "errorlist" in block and message in block, block
    assert not Visit.objects.exists() and not Case.objects.exists()


def test_without_javascript_the_show_buttons_list_the_next_level_and_send_nothing(client, settings):
    seed(per_township=3)
    settings.SUBMIT_LIMIT_PER_IP_HOUR = 2
    typed = opinion(Station.objects.first(), station="", region="", county=LIUYANG)
    # Showing lists is not submitting: it is not counted against the address's limit.
    for _ in range(3):
        response = client.post("/cases/submit/", {**typed, "pick": "county"})
    page = response.content.decode()
    assert response.status_code == 200
    assert options(page, "region") == ["", *TOWNSHIPS[LIUYANG]]
    assert "errorlist" not in page
    assert 'value="王小明"' in page and "村口三盏路灯" in page
    assert re.search(r'<input type="checkbox" name="consent"[^>]* checked', page)

    # Then the township's stations.
    response = client.post("/cases/submit/", {**typed, "region": "430181002000", "pick": "region"})
    page = response.content.decode()
    assert '<option value="430181002000" selected>' in page
    assert len(options(page, "station")) == 1 + 3
    assert not Visit.objects.exists() and not Case.objects.exists()

    response = client.post("/cases/submit/", {**typed, "region": "430181002000"})
    assert response.status_code == 200
    assert Case.objects.get().station.region_id == "430181002000"


def test_the_picker_speaks_english_too(client):
    seed(per_township=1)
    page = client.get("/cases/submit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in (
        "County or district",
        "Township or street",
        "Show its townships",
        "Where should your opinion go?",
        "the county first",
    ):
        assert text in page
    zh = client.get("/cases/submit/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    for text in (
        "县（市、区）",
        "乡镇（街道）",
        "显示乡镇（街道）",
        "意见反映到哪里",
        "请先选择县",
    ):
        assert text in zh
