"""The public directory: published representatives and stations, never private data,
a constant number of queries whatever the length."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from representatives.models import CongressLevel
from stations.models import ReceptionDay
from stations.services import reception_day_publish, reception_day_set_duty
from tests.clock import frozen
from tests.factories import MembershipFactory, RepresentativeFactory, StationFactory, region
from tests.reception_factories import published_day

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    # Cold cache: the home page's figures are cached, and the count is of the uncached page.
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_representative_directory_keeps_constant_queries(client):
    station = StationFactory()
    MembershipFactory(station=station)
    one = queries(client, "/representatives/")
    for _ in range(29):
        MembershipFactory(station=station)
    assert queries(client, "/representatives/") == one


@frozen()
def test_station_pages_keep_constant_queries(client):
    today = dt.date.today()
    station = StationFactory()
    rep = MembershipFactory(station=station).representative
    published_day(station, [rep], today + dt.timedelta(days=3), today=today)
    list_one = queries(client, "/stations/")
    detail_one = queries(client, f"/stations/{station.pk}/")
    home_one = queries(client, "/")
    for index in range(2, 30):
        other = StationFactory(region=region(f"430121001{index:03d}"))
        rep = MembershipFactory(station=station).representative
        MembershipFactory(station=other, representative=rep)
        published_day(other, [rep], today + dt.timedelta(days=index), today=today)
    assert queries(client, "/stations/") == list_one
    assert queries(client, f"/stations/{station.pk}/") == detail_one
    assert queries(client, "/") == home_one


def test_unpublished_representative_is_not_found_and_not_listed(client):
    hidden = RepresentativeFactory(name="未公开代表", published=False)
    assert client.get(f"/representatives/{hidden.pk}/").status_code == 404
    assert "未公开代表" not in client.get("/representatives/").content.decode()


def test_private_mobile_never_appears(client):
    membership = MembershipFactory(
        representative=RepresentativeFactory(
            private_phone="13912345678", public_phone="0731-84010000"
        )
    )
    rep, station = membership.representative, membership.station
    for url in (
        "/",
        "/representatives/",
        f"/representatives/{rep.pk}/",
        "/stations/",
        f"/stations/{station.pk}/",
    ):
        page = client.get(url).content.decode()
        assert "13912345678" not in page
    assert "0731-84010000" in client.get(f"/representatives/{rep.pk}/").content.decode()


def test_directory_filters_by_level_name_station_and_region(client):
    xingsha = StationFactory(name="星沙站", region=region("430121001000"))
    huanghua = StationFactory(name="黄花站", region=region("430121105000"))
    MembershipFactory(station=xingsha, representative=RepresentativeFactory(name="王县级"))
    MembershipFactory(
        station=xingsha,
        representative=RepresentativeFactory(name="李全国", level=CongressLevel.NATIONAL),
    )
    MembershipFactory(station=huanghua, representative=RepresentativeFactory(name="赵黄花"))

    def names(query):
        page = client.get(f"/representatives/?{query}").content.decode()
        return {n for n in ("王县级", "李全国", "赵黄花") if n in page}

    assert names("level=national") == {"李全国"}
    assert names("name=王") == {"王县级"}
    assert names(f"station={huanghua.pk}") == {"赵黄花"}
    assert names("region=430121001000") == {"王县级", "李全国"}
    assert names("region=430121000000") == {"王县级", "李全国", "赵黄花"}


@frozen()
def test_duty_days_show_on_profile_and_station_page_only_when_announced(client):
    membership = MembershipFactory()
    rep, station = membership.representative, membership.station
    soon = dt.date.today() + dt.timedelta(days=5)
    day = ReceptionDay.objects.create(station=station, date=soon)
    reception_day_set_duty(actor=None, day=day, representatives=[rep])
    assert soon.isoformat() not in client.get(f"/representatives/{rep.pk}/").content.decode()
    reception_day_publish(actor=None, day=day, today=dt.date.today())
    assert soon.isoformat() in client.get(f"/representatives/{rep.pk}/").content.decode()
    assert rep.name in client.get(f"/stations/{station.pk}/").content.decode()


def test_public_pages_speak_chinese_and_english(client):
    assert "人大代表" in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "Find your representative" in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
