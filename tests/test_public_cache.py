"""Whole public pages from the cache (liaison/base/public_cache.py): a hit costs no query
and serves the same bytes, a change to what a page shows is visible at once, the language
is the one the locale middleware picks, and nothing with a session or personal data is
ever stored or marked public (a test over every URL pattern)."""

import datetime as dt
import re

import pytest
from django.contrib.admindocs.views import extract_views_from_urlpatterns, simplify_regex
from django.db import connection
from django.test import Client
from django.urls import get_resolver

from liaison.base import public_cache
from stations.models import ReceptionDay
from stations.services import reception_day_set_duty
from stations.services.reception_days import reception_days_publish
from tests.case_world import make_world, received
from tests.clock import WORKDAY, frozen
from tests.factories import MembershipFactory, RepresentativeFactory, StationFactory
from tests.public_helpers import fresh_cache  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

CACHED_VIEWS = {
    "home",
    "representative-list",
    "representative-detail",
    "station-list",
    "station-detail",
}


class Pages(list):
    """The pages stored, and for how long each (``timeouts``)."""

    def __init__(self):
        super().__init__()
        self.timeouts = []


class Recording:
    """The cache, with the pages stored through it."""

    def __init__(self, inner):
        self.inner, self.pages = inner, Pages()

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def set(self, key, value, *args, **kwargs):
        if key.startswith(public_cache.PAGE_KEY) and not key.startswith(public_cache.VERSION_KEY):
            self.pages.append(value)
            self.pages.timeouts.append(args[0] if args else kwargs.get("timeout"))
        return self.inner.set(key, value, *args, **kwargs)


@pytest.fixture
def stored(monkeypatch):
    recording = Recording(public_cache.cache)
    monkeypatch.setattr(public_cache, "cache", recording)
    return recording.pages


@pytest.fixture
def seated():
    station = StationFactory(name="星沙第一联络站")
    representative = RepresentativeFactory(name="李代表")
    MembershipFactory(station=station, representative=representative)
    return station, representative


def test_a_hit_serves_the_same_bytes_without_a_query(
    client, seated, stored, django_assert_num_queries
):
    station, representative = seated
    for url in ["/", "/representatives/", f"/representatives/{representative.pk}/",
                "/stations/", f"/stations/{station.pk}/"]:  # fmt: skip
        first = client.get(url)
        assert first.status_code == 200, url
        assert first["Cache-Control"] == "public, max-age=5"
        assert not first.cookies, url
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.content == first.content
        assert second["ETag"] == first["ETag"]
        assert second["Content-Language"] == "zh-hans"
        assert "Accept-Language" in second["Vary"] and "Cookie" in second["Vary"]
        # What the middleware behind the cache adds is stored with the page.
        assert second["X-Frame-Options"] == "DENY"
        assert second["Content-Security-Policy"]
        # A browser's revalidation: 304, no body, no query.
        with django_assert_num_queries(0):
            again = client.get(url, headers={"if-none-match": first["ETag"]})
        assert again.status_code == 304 and again.content == b""
    assert len(stored) == 5


def test_a_change_to_a_station_or_representative_shows_at_once(client, seated):
    station, representative = seated
    pages = ["/", "/representatives/", f"/representatives/{representative.pk}/",
             "/stations/", f"/stations/{station.pk}/"]  # fmt: skip
    for url in pages:
        client.get(url)
    station.name = "星沙第二联络站"
    station.save()
    assert "星沙第二联络站" in client.get(f"/stations/{station.pk}/").content.decode()
    assert "星沙第二联络站" in client.get("/stations/").content.decode()
    representative.name = "王代表"
    representative.save()
    for url in ["/representatives/", f"/representatives/{representative.pk}/",
                f"/stations/{station.pk}/"]:  # fmt: skip
        page = client.get(url).content.decode()
        assert "王代表" in page and "李代表" not in page, url
    representative.published = False
    representative.save()
    assert client.get(f"/representatives/{representative.pk}/").status_code == 404
    assert "王代表" not in client.get(f"/stations/{station.pk}/").content.decode()


@frozen()
def test_days_published_in_bulk_show_at_once(client, seated):
    station, representative = seated
    day = ReceptionDay.objects.create(
        station=station, date=WORKDAY + dt.timedelta(days=20), place="便民服务中心二楼"
    )
    reception_day_set_duty(day=day, actor=None, representatives=[representative])
    before = client.get(f"/stations/{station.pk}/").content.decode()
    assert "便民服务中心二楼" not in before
    assert client.get(f"/stations/{station.pk}/").content.decode() == before
    # bulk_update sends no signal: the service bumps the version itself.
    assert reception_days_publish(days=[day], actor=None) == 1
    assert "便民服务中心二楼" in client.get(f"/stations/{station.pk}/").content.decode()


def test_the_language_is_the_one_the_locale_middleware_picks(client, seated, stored):
    chinese = client.get("/stations/").content.decode()
    assert '<html lang="zh-hans">' in chinese
    english = Client(headers={"accept-language": "en"}).get("/stations/")
    assert '<html lang="en">' in english.content.decode() and english["Content-Language"] == "en"
    by_cookie = Client()
    by_cookie.cookies["django_language"] = "en"
    assert '<html lang="en">' in by_cookie.get("/stations/").content.decode()
    # The cookie wins over Accept-Language, as in LocaleMiddleware.
    both = Client(headers={"accept-language": "en"})
    both.cookies["django_language"] = "zh-hans"
    assert both.get("/stations/").content.decode() == chinese
    assert len(stored) == 2


def test_the_language_switch_needs_no_token_but_the_same_site(seated):
    client = Client(enforce_csrf_checks=True)
    page = client.get("/stations/")
    assert "csrfmiddlewaretoken" not in page.content.decode() and not page.cookies
    answer = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/stations/"},
        headers={"origin": "http://testserver"},
    )
    assert answer.status_code == 302 and answer.cookies["django_language"].value == "en"
    assert '<html lang="en">' in client.get("/stations/").content.decode()
    forged = Client(enforce_csrf_checks=True).post(
        "/i18n/setlang/", {"language": "en"}, headers={"origin": "https://evil.example"}
    )
    assert forged.status_code == 403 and not forged.cookies
    referred = Client().post(
        "/i18n/setlang/", {"language": "en"}, headers={"referer": "https://evil.example/x"}
    )
    assert referred.status_code == 403
    assert Client().get("/i18n/setlang/").status_code == 405


def test_a_session_or_any_other_cookie_is_never_served_from_the_cache(seated, stored):
    world = make_world()
    staff = Client()
    staff.force_login(world.users["liaison"])
    anonymous = Client()
    anonymous.get("/stations/")
    signed_in = staff.get("/stations/")
    assert "no-store" in signed_in["Cache-Control"] and "public" not in signed_in["Cache-Control"]
    messages = Client()
    messages.cookies["messages"] = "x"
    assert "public" not in messages.get("/stations/").get("Cache-Control", "")
    assert len(stored) == 1


def test_pages_with_a_query_are_kept_for_less_time(client, seated, stored, settings):
    client.get("/stations/")
    client.get("/stations/?name=星沙")
    assert stored.timeouts == [settings.PUBLIC_PAGE_CACHE_SECONDS, 60]
    long = client.get("/stations/?name=" + "x" * 500)
    assert long.status_code == 200 and "public" not in long.get("Cache-Control", "")
    assert len(stored) == 2


def test_while_redis_is_down_pages_are_rendered(client, seated, stored, monkeypatch):
    monkeypatch.setattr(type(public_cache.cache.inner), "degraded", True, raising=False)
    assert client.get("/stations/").status_code == 200
    assert stored == []


# EVERY URL


def _urls(ids: dict) -> list[tuple[str, str]]:
    seen, urls = set(), []
    for _view, regex, namespace, name in extract_views_from_urlpatterns(
        get_resolver().url_patterns
    ):
        path = simplify_regex(regex)
        if r"\.<format>" in path or "<format>" in path or path in seen:
            continue  # DRF's format suffixes: the same views
        seen.add(path)
        section = path.strip("/").split("/")[0]

        def value(match, section=section):
            arg = match.group(1).rpartition(":")[2]
            if arg in {"pk", "object_id", "station_id", "case_id", "representative_id"}:
                return str(ids.get(section, ids["case"]))
            if arg == "year":
                return "2026"
            return "x"

        urls.append((re.sub(r"<([^>]+)>", value, path), ":".join([*(namespace or []), name or ""])))
    return urls


def test_no_page_with_a_session_or_personal_data_is_cached_or_public(seated, stored):
    station, representative = seated
    world = make_world()
    case = received(world)
    secrets = ["张三", "13812345678", world.representative.private_phone]
    ids = {"stations": station.pk, "representatives": representative.pk, "case": case.pk}
    urls = _urls(ids)
    assert len(urls) > 150
    staff = Client(raise_request_exception=False)
    staff.force_login(world.users["liaison"])
    anonymous = Client(raise_request_exception=False)
    cached_names = set()
    for url, name in urls:
        before = len(stored)
        signed_in = staff.get(url)
        assert "public" not in signed_in.get("Cache-Control", ""), url
        assert len(stored) == before, f"{url} stored for a signed-in user"
        answer = anonymous.get(url)
        public = "public" in answer.get("Cache-Control", "")
        if len(stored) > before:
            cached_names.add(name)
            assert name in CACHED_VIEWS, url
            assert public and not answer.cookies, url
        if public:
            body = answer.content.decode(errors="replace")
            assert not answer.cookies, url
            assert not any(secret in body for secret in secrets), url
    for headers, content in stored:
        assert not any(name.lower() == "set-cookie" for name, _ in headers)
        assert not any(secret in content.decode() for secret in secrets)
    assert cached_names == CACHED_VIEWS


# THE STATUS LOOKUP: never cached, three queries


def test_the_status_lookup_is_not_cached_and_reads_the_case_once(
    client, stored, django_assert_num_queries
):
    case = received(make_world())
    data = {"code": case.tracking_code, "check": "5678"}
    # The case by its code with its own rating, and its steps (in the same row on
    # PostgreSQL).
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 2):
        found = client.post("/cases/status/", data)
    assert found.status_code == 200 and case.tracking_code in found.content.decode()
    assert "no-store" in found["Cache-Control"] or "no-cache" in found["Cache-Control"]
    # A wrong check and an unknown code cost the same one query: nothing to time.
    with django_assert_num_queries(1):
        assert client.post("/cases/status/", {**data, "check": "0000"}).status_code == 404
    with django_assert_num_queries(1):
        unknown = {"code": "2345-6789-AB", "check": "5678"}
        assert client.post("/cases/status/", unknown).status_code == 404
    assert stored == []
