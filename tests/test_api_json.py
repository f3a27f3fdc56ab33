"""The API's JSON is written by orjson (liaison/base/renderers.py): the same bytes DRF's
renderer writes, for every type the serializers hand it."""

import datetime as dt
import decimal
import uuid
import zoneinfo

import pytest
from django.utils.translation import gettext_lazy, override
from rest_framework import renderers
from rest_framework.test import APIClient

from liaison.base.renderers import JSONRenderer
from suggestions.models import Step
from tests.case_world import case_at, make_world, received
from tests.clock import frozen

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _both(data, media_type="application/json"):
    return (
        renderers.JSONRenderer().render(data, media_type, {}),
        JSONRenderer().render(data, media_type, {}),
    )


def test_every_type_a_serializer_hands_it_is_written_as_drf_writes_it():
    data = {
        "text": '人大代表联络站 "quoted" \\ / \n\t\x01 end',
        "separators": "a\u2028b\u2029c",
        "lazy": gettext_lazy("Cases"),
        "utc": dt.datetime(2026, 11, 30, 4, 5, 6, 789000, tzinfo=dt.UTC),
        "shanghai": dt.datetime(2026, 11, 30, 12, 5, 6, tzinfo=SHANGHAI),
        "naive": dt.datetime(2026, 11, 30, 12, 5, 6, 123456),
        "date": dt.date(2027, 2, 8),
        "time": dt.time(9, 30),
        "duration": dt.timedelta(days=1, seconds=5),
        "decimal": decimal.Decimal("12.50"),
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "numbers": [0, -1, 2**63 - 1, 0.5, 1.25, True, False, None],
        "nested": {"tuple": (1, "二"), "empty": {}, "list": []},
        1: "an integer key",
    }
    with override("zh-hans"):
        drf, ours = _both(data)
    assert ours == drf
    assert b"\\u2028" in ours and "联络站".encode() in ours


def test_what_orjson_refuses_and_pretty_printing_go_to_drfs_renderer():
    huge = {"n": 2**70}
    assert JSONRenderer().render(huge, "application/json", {}) == b'{"n":%d}' % 2**70
    drf, ours = _both({"a": [1, 2]}, "application/json; indent=4")
    assert ours == drf and b"\n" in ours
    assert JSONRenderer().render(None, "application/json", {}) == b""


@pytest.mark.django_db
@frozen()
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_case_list_and_a_case_are_the_bytes_drf_would_write(language):
    world = make_world()
    case = case_at(world, Step.HANDLING)
    received(world)
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(world.users["committee"])
    for url in ("/api/v1/cases/", f"/api/v1/cases/{case.pk}/"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        drf = renderers.JSONRenderer().render(response.data, "application/json", {})
        assert response.content == drf
