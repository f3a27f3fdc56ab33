"""The public pages around cases: figures computed from the data by region, published
outcomes, the station's notice and QR code, resized photos; constant query counts, and
every public page in Chinese and English."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from figures import rollups
from figures.public import public_figures
from representatives.photos import photo_thumbnails_make
from stations.models import VisitChannel
from stations.notices import reception_notices_send
from stations.qrcodes import qr_svg
from suggestions.cases import services
from suggestions.models import Satisfaction, Step
from tests.case_world import COUNTY, case_at, make_world
from tests.clock import frozen
from tests.factories import MembershipFactory, RepresentativeFactory, StationFactory, region
from tests.public_helpers import fresh_cache  # noqa: F401
from tests.reception_factories import published_day

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def count_queries(client, url) -> int:
    # Cold cache: the region picker's lists and the figures are cached.
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def archive_published(world, summary: str):
    case = case_at(world, Step.FEEDBACK)
    return services.case_archive(
        case_id=case.pk, actor=world.users["committee"], public_summary=summary, published=True
    )


@frozen()
def test_figures_count_people_opinions_assigned_completed_and_satisfaction():
    world = make_world()
    case_at(world, Step.REGISTERED)
    case_at(world, Step.HANDLING)
    case_at(world, Step.REPLIED)
    case_at(world, Step.FEEDBACK, satisfaction=Satisfaction.SATISFIED)
    case_at(world, Step.FEEDBACK, satisfaction=Satisfaction.UNSATISFIED)
    services.visit_record(
        actor=world.users["other_liaison"],
        station=world.other_station,
        channel=VisitChannel.PHONE,
        visited_at=timezone.now(),
        constituent_name="赵六",
        people_count=4,
        cases=[{"title": "河道采砂", "description": "夜间有人采砂。"}],
    )
    county = region(COUNTY)
    rollups.rebuild()
    figures = public_figures(region=county)
    assert figures == {
        "people": 5,
        "collected": 5,
        "assigned": 4,
        "completed": 3,
        "solved": 3,
        "rated": 2,
        "satisfied": 1,
        "satisfaction": 50.0,
    }
    assert public_figures()["people"] == 9
    assert public_figures()["collected"] == 6


def test_figures_are_two_queries_then_cached(django_assert_num_queries):
    case_at(make_world(), Step.REPLIED)
    rollups.rebuild()
    with django_assert_num_queries(2):
        public_figures()
    with django_assert_num_queries(0):
        public_figures()


def test_home_shows_figures_of_the_region_chosen(client):
    world = make_world()
    case_at(world, Step.REPLIED)
    county = region(COUNTY)
    page = client.get(f"/?region={county.code}").content.decode()
    assert f"{county.name}工作数据" in page
    assert "收集意见建议" in page
    unknown = client.get("/?region=abc")
    assert unknown.status_code == 200


def test_home_keeps_constant_queries_with_figures(client):
    world = make_world()
    case_at(world, Step.REPLIED)
    one = count_queries(client, "/")
    for _ in range(5):
        case_at(world, Step.FEEDBACK)
    assert count_queries(client, "/") <= one


def test_published_outcomes_list_only_published_archived_summaries(client):
    world = make_world()
    archive_published(world, "村道已完成修补")
    hidden = case_at(world, Step.FEEDBACK)
    services.case_archive(case_id=hidden.pk, actor=world.users["committee"])
    page = client.get("/cases/outcomes/").content.decode()
    assert "村道已完成修补" in page
    assert page.count('<li class="card">') == 1
    assert "张三" not in page
    other = client.get("/cases/outcomes/?region=430181000000").content.decode()
    assert "村道已完成修补" not in other
    by_category = client.get(f"/cases/outcomes/?category={world.category.pk}").content.decode()
    assert "村道已完成修补" in by_category


def test_outcomes_keep_constant_queries(client):
    world = make_world()
    archive_published(world, "第一件")
    one = count_queries(client, "/cases/outcomes/")
    for n in range(12):
        archive_published(world, f"第{n}件")
    assert count_queries(client, "/cases/outcomes/") == one


@frozen()
def test_station_page_shows_the_public_notice_qr_and_form_link(client):
    today = dt.date.today()
    station = StationFactory()
    rep = MembershipFactory(
        station=station,
        representative=RepresentativeFactory(
            name="刘公示", work_unit="县水利局", public_phone="0731-84010001"
        ),
    ).representative
    published_day(station, [rep], today + dt.timedelta(days=2), lead=5, today=today)
    reception_notices_send(today=today)
    page = client.get(f"/stations/{station.pk}/").content.decode()
    assert "下次接待日公告" in page
    assert "县水利局" in page and "0731-84010001" in page
    assert rep.private_phone not in page
    assert f"/stations/{station.pk}/qr.svg" in page
    assert f"/cases/submit/?station={station.pk}" in page
    assert f"/stations/{station.pk}/calendar.ics" in page


def test_qr_code_is_an_svg_of_the_form_with_the_station_preselected(client):
    station = StationFactory()
    response = client.get(f"/stations/{station.pk}/qr.svg")
    assert response["Content-Type"] == "image/svg+xml"
    expected = qr_svg(f"http://testserver/cases/submit/?station={station.pk}")
    assert response.content.decode() == expected
    assert client.get(f"/stations/{station.pk}/poster/").status_code == 200
    assert client.get("/stations/999999/qr.svg").status_code == 404


def _jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (180, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def test_photos_are_resized_and_served_from_media(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rep = RepresentativeFactory(photo=SimpleUploadedFile("big.jpg", _jpeg(3000, 4000)))
    MembershipFactory(representative=rep)
    photo_thumbnails_make(rep.photo)
    thumbs = sorted(p.name for p in (tmp_path / "representatives" / "thumbs").iterdir())
    assert thumbs == [f"{rep.photo.name.split('/')[-1][:-4]}-{s}.jpg" for s in ("card", "profile")]
    with Image.open(tmp_path / "representatives" / "thumbs" / thumbs[1]) as image:
        assert image.size == (300, 400)
    profile = client.get(f"/representatives/{rep.pk}/").content.decode()
    assert "/media/representatives/thumbs/" in profile
    assert rep.photo.url not in profile
    card = client.get("/representatives/").content.decode()
    assert "-card.jpg" in card


def test_a_broken_photo_is_left_out_not_a_500(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rep = RepresentativeFactory(photo=SimpleUploadedFile("bad.jpg", b"not an image"))
    response = client.get(f"/representatives/{rep.pk}/")
    assert response.status_code == 200
    assert "thumbs" not in response.content.decode()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-CN", "网上反映意见"), ("en", "Raise an opinion")],
)
def test_every_public_page_speaks_chinese_and_english(client, language, expected):
    world = make_world()
    archive_published(world, "已修好")
    rep = MembershipFactory(station=world.station).representative
    for url in [
        "/",
        "/representatives/",
        f"/representatives/{rep.pk}/",
        "/stations/",
        f"/stations/{world.station.pk}/",
        f"/stations/{world.station.pk}/poster/",
        "/cases/submit/",
        "/cases/status/",
        "/cases/outcomes/",
    ]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert expected in page, url
        assert f'<html lang="{"zh-hans" if language == "zh-CN" else "en"}">' in page
