"""What an outside tester sends: every URL of the resolver and every API endpoint of the
router, with malformed ids, huge numbers, NUL bytes, bytes that are not UTF-8, over-long
strings, wrong types, impossible dates and arrays where scalars are expected. No answer
is a 5xx, and no bad write saves anything."""

import base64
import itertools
import json
import logging
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from stations.models import Visit
from suggestions.models import Case, CaseEvent
from tests.case_world import case_at, make_world
from tests.public_helpers import fresh_cache  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

BAD_IDS = ["0", "99999999999999999999", "%00", "%FF%FE", "x" * 300]
BAD_QUERY = (
    "page=%00&q=%00%FF&phone=138%00&constituent_phone=%00&date=0001-01-01&from=9999-99-99"
    "&to=99999-01-01&station=1.5&region=%00&step=%FF&year=99999999999999&ordering=%00"
    "&station=abc&unit=99999999999999999999&cursor=%00&level=x&category=-1&month=13"
)
SKIPPED = ("admin/", "media/", "i18n/", "api/schema/", "api/docs/")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _fill(route: str, value: str) -> str:
    route = route.replace("^", "").replace("$", "").replace("\\.", ".")
    route = re.sub(r"\(\?P<\w+>[^)]*\)", value, route)
    return "/" + re.sub(r"<(?:\w+:)?\w+>", value, route)


def routes() -> list[str]:
    found = [r for r in _routes(get_resolver().url_patterns) if "format" not in r]
    return sorted({r for r in found if not r.startswith(SKIPPED)})


def paths() -> list[str]:
    """Every route, with each bad id in its parameters (or as it is when it has none)."""
    out = []
    for route in routes():
        if "<" in route or "(?P" in route:
            out.extend(_fill(route, bad) for bad in BAD_IDS)
        else:
            out.append(_fill(route, ""))
    return out


def assert_no_5xx(responses):
    failures = [f"{m} {path}: {status}" for m, path, status in responses if status >= 500]
    assert not failures, "\n".join(failures)


@pytest.fixture(autouse=True)
def unlogged_refusals():
    """pytest keeps every log record of a test, and each refusal's record (django.request,
    django.security) holds its request: thousands of megabyte bodies held 3 GB. A 5xx
    fails the test with its path all the same (assert_no_5xx)."""
    logging.disable(logging.ERROR)
    yield
    logging.disable(logging.NOTSET)


@pytest.fixture
def world():
    return make_world()


def clients(world, names=("admin", "liaison", "committee")):
    anonymous = Client(raise_request_exception=False)
    out = {"anonymous": anonymous}
    for name in names:
        client = Client(raise_request_exception=False)
        client.force_login(world.users[name])
        out[name] = client
    return out


def test_every_url_with_bad_ids_and_bad_query_answers_without_5xx(world):
    case_at(world, "handling")
    responses = []
    for (name, client), path in itertools.product(clients(world).items(), paths()):
        if name == "committee" and "api/v1/public" in path:
            continue
        # Status codes only: the test client's responses keep their contexts and templates,
        # and thousands of them held gigabytes.
        responses.append(("GET", path, client.get(path).status_code))
        responses.append(("GET?", path, client.get(f"{path}?{BAD_QUERY}").status_code))
    assert len(responses) > 1000
    assert_no_5xx(responses)


BAD_FIELDS = [
    "\x00",
    "a\x00b",
    "x" * 100_000,
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "99999999999999999999",
    "1.5",
    "-1",
    "",
]


def test_every_post_with_bad_form_data_answers_without_5xx(world):
    case = case_at(world, "handling")
    counts = (Visit.objects.count(), Case.objects.count(), CaseEvent.objects.count())
    responses = []
    names = [
        "visited_at", "constituent_phone", "constituent_name", "people_count", "station",
        "representatives", "channel", "unit", "workdays", "until", "note", "title",
        "description", "date", "q", "cases", "reason", "into", "category", "region",
        "name", "phone", "consent", "code", "check", "year", "start", "end",
    ]  # fmt: skip
    own = [_fill(route, str(case.pk)) for route in routes() if not route.startswith("api/")]
    for client in clients(world, ("admin", "liaison")).values():
        for path, bad in itertools.product(own, BAD_FIELDS[:4]):
            data = dict.fromkeys(names, bad)
            responses.append(("POST", path, client.post(path, data).status_code))
    assert len(responses) > 500
    assert_no_5xx(responses)
    case.refresh_from_db()
    assert (Visit.objects.count(), Case.objects.count(), CaseEvent.objects.count()) == counts


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


BAD_JSON_BODIES = [
    _deep(5000),
    '{"a": ' * 5000 + "1" + "}" * 5000,
    json.dumps({"note": "x" * 3_000_000}),
    b"\xff\xfe\x00",
    '{"station": 1.5}',
    '{"station": true}',
    '{"station": "1"}',
    '{"station": [1]}',
    '{"station": {"id": 1}}',
    '{"station": 99999999999999999999999}',
    '{"visited_at": "0001-01-01T00:00:00+08:00"}',
    '{"visited_at": "9999-12-31T23:59:59+08:00"}',
    '{"visited_at": 1e308}',
    '{"unit": 1e400}',
    '{"note": "\\u0000"}',
    '{"unit": [[[]]], "workdays": "NaN"}',
    '{"workdays": NaN}',
    '{"workdays": Infinity}',
    "[]",
    '"a string"',
    "null",
    "{",
]


def _counts():
    return (Visit.objects.count(), Case.objects.count(), CaseEvent.objects.count())


def test_every_api_write_with_bad_json_answers_without_5xx_and_refusals_save_nothing(world):
    case = case_at(world, "registered")
    api_routes = [r for r in routes() if r.startswith("api/v1/")]
    responses, saved_by_refusal = [], []
    for client in clients(world, ("admin",)).values():
        for route, body in itertools.product(api_routes, BAD_JSON_BODIES):
            path = _fill(route, str(case.pk))
            before = _counts()
            response = client.post(path, body, content_type="application/json")
            responses.append(("POST", path, response.status_code))
            if response.status_code >= 400 and _counts() != before:
                saved_by_refusal.append(f"{path} {body[:30]!r}")
    assert len(responses) > 700
    assert_no_5xx(responses)
    assert not saved_by_refusal


BAD_HEADERS = {
    "HTTP_AUTHORIZATION": "Token abc\x00def",
    "HTTP_X_FORWARDED_FOR": "\x00, 1.2.3.4",
    "HTTP_ACCEPT_LANGUAGE": "\x00" * 50,
    "HTTP_IDEMPOTENCY_KEY": "\x00" * 300,
    "HTTP_COOKIE": "sessionid=\x00; csrftoken=\x00",
}


@pytest.mark.parametrize("header", BAD_HEADERS, ids=BAD_HEADERS.keys())
def test_bad_headers_answer_without_5xx(world, header):
    client = Client(raise_request_exception=False)
    responses = [
        ("GET", path, client.get(path, **{header: BAD_HEADERS[header]}).status_code)
        for path in ("/", "/api/v1/cases/", "/api/v1/public/stations/", "/staff/")
    ]
    visits = client.post("/api/v1/visits/", {}, **{header: "\x00"})
    responses.append(("POST", "/api/v1/visits/", visits.status_code))
    assert_no_5xx(responses)


# Cursor positions that are no whole number, as a client could forge them (base64 of
# DRF's "o=…&r=…&p=…" query): a 404 "invalid cursor", never a 500.
FORGED_CURSORS = [
    base64.b64encode(f"p={position}".encode()).decode()
    for position in ("abc", "", "1.5", "%00", "1e3", "9" * 40)
]


@pytest.mark.parametrize("path", ["/api/v1/cases/", "/api/v1/visits/", "/api/v1/suggestions/"])
def test_forged_cursor_positions_are_refused_without_5xx(world, path):
    client = clients(world)["admin"]
    responses = []
    for cursor in FORGED_CURSORS:
        for extra in ("", "&page_size=5", "&is_key=true"):
            response = client.get(f"{path}?cursor={cursor}{extra}")
            responses.append(("GET", f"{path}?cursor={cursor}{extra}", response.status_code))
            assert response.status_code in (200, 404), (cursor, extra, response.status_code)
    assert_no_5xx(responses)
