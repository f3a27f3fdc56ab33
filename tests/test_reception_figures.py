"""The figures after a reception day — people received, visits, cases — come from the visits
logged on it, on the admin list and the public station page, in a constant number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stations.models import VisitChannel
from stations.selectors import DayFigures, attach_figures
from stations.services import reception_day_hold
from suggestions.cases import services
from tests.clock import frozen
from tests.factories import liaison_user
from tests.reception_factories import published_day, staffed_station

TODAY = dt.date(2026, 11, 23)

# The station page shows the figures of days already held, as of today.
pytestmark = [pytest.mark.django_db, frozen(TODAY)]


def held_day(station, reps, date: dt.date):
    day = published_day(station, reps, date, today=date - dt.timedelta(days=30))
    return reception_day_hold(actor=None, day=day, today=TODAY)


def log(liaison, day, *, people: int, cases: int, name: str = "王五"):
    return services.visit_record(
        actor=liaison,
        station=day.station,
        channel=VisitChannel.RECEPTION_DAY,
        visited_at=dt.datetime.combine(day.date, dt.time(10), tzinfo=dt.UTC),
        constituent_name=name,
        constituent_phone="13700002222",
        people_count=people,
        reception_day=day,
        cases=[{"title": f"问题{n}", "description": "说明"} for n in range(cases)],
    )


@pytest.fixture
def station_days():
    station, reps = staffed_station("official", "grassroots")
    liaison = liaison_user(station)
    busy = held_day(station, reps, dt.date(2026, 10, 15))
    quiet = held_day(station, reps, dt.date(2026, 9, 15))
    log(liaison, busy, people=1, cases=2)
    log(liaison, busy, people=3, cases=0)
    log(liaison, busy, people=2, cases=1)
    # A household visit the same week belongs to no reception day.
    services.visit_record(
        actor=liaison,
        station=station,
        channel=VisitChannel.HOUSEHOLD,
        visited_at=dt.datetime(2026, 10, 16, 10, tzinfo=dt.UTC),
        constituent_name="赵六",
        people_count=4,
        cases=[{"title": "入户问题", "description": "说明"}],
    )
    return station, liaison, busy, quiet


def test_figures_sum_people_and_count_visits_and_cases(station_days):
    """Three visits of 1, 3 and 2 people raising 2, 0 and 1 cases: 6 people, 3 visits, 3
    cases; a day with no visit shows zeros; a visit outside reception days counts nowhere."""
    _station, _liaison, busy, quiet = station_days
    busy, quiet = attach_figures([busy, quiet])
    assert busy.figures == DayFigures(people=6, visits=3, cases=3)
    assert quiet.figures == DayFigures()


def test_the_admin_list_shows_figures_in_constant_queries(admin_client, station_days):
    station, liaison, _busy, _quiet = station_days
    url = reverse("admin:stations_receptionday_changelist")

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            response = admin_client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    few, page = count()
    assert '<td class="field-people_received">6</td>' in page
    _station, reps = staffed_station("official", station=station)
    for month in range(1, 9):
        log(liaison, held_day(station, reps, dt.date(2026, month, 14)), people=2, cases=1)
    many, _ = count()
    assert many == few


def test_the_public_station_page_shows_recent_figures_without_personal_data(client, station_days):
    station, liaison, _busy, _quiet = station_days
    url = f"/stations/{station.pk}/"

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    few, page = count()
    assert "2026-10-15" in page and "<td>6</td><td>3</td><td>3</td>" in page
    assert "王五" not in page and "13700002222" not in page
    _station, reps = staffed_station("official", station=station)
    for month in range(1, 9):
        log(liaison, held_day(station, reps, dt.date(2026, month, 14)), people=2, cases=1)
    many, _ = count()
    assert many == few
