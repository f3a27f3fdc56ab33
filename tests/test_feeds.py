import datetime as dt

import pytest
from icalendar import Calendar

from stations.models import ReceptionDay
from stations.services import reception_day_cancel, reception_day_set_duty
from tests.clock import WORKDAY, frozen
from tests.reception_factories import published_day, staffed_station

# The feeds hold the days to come, and those a year back, from today.
pytestmark = [pytest.mark.django_db, frozen(WORKDAY)]

SOON = WORKDAY + dt.timedelta(days=40)


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


@pytest.fixture
def plan():
    station, reps = staffed_station("official", "grassroots")
    published = published_day(station, reps, SOON, today=dt.date.today())
    draft = ReceptionDay.objects.create(station=station, date=SOON + dt.timedelta(days=30))
    reception_day_set_duty(actor=None, day=draft, representatives=reps)
    return station, reps, published, draft


def test_station_feed_lists_published_days_only(client, plan):
    """A planned draft stays out of the public feed."""
    station, reps, published, _ = plan
    found = events(client.get(f"/stations/{station.pk}/calendar.ics"))
    assert [str(e["uid"]) for e in found] == [f"reception-day-{published.pk}@liaison-station"]
    event = found[0]
    assert event.decoded("dtstart").date() == SOON
    assert str(event["dtstart"].params["TZID"]) == "Asia/Shanghai"
    assert reps[0].name in str(event["description"])
    assert (
        reps[0].private_phone
        not in client.get(f"/stations/{station.pk}/calendar.ics").content.decode()
    )


def test_representative_feed_and_a_cancelled_day(client, plan):
    """The representative's feed has their days; a cancelled published day says CANCELLED."""
    _, reps, published, _ = plan
    reception_day_cancel(actor=None, day=published, reason="场地维修")
    found = events(client.get(f"/representatives/{reps[1].pk}/calendar.ics"))
    assert len(found) == 1 and str(found[0]["status"]) == "CANCELLED"


def test_unpublished_representative_and_unknown_station_are_not_found(client, plan):
    _, reps, _, _ = plan
    reps[0].published = False
    reps[0].save()
    assert client.get(f"/representatives/{reps[0].pk}/calendar.ics").status_code == 404
    assert client.get("/stations/999999/calendar.ics").status_code == 404


def test_feed_query_count_does_not_grow_with_days(client, plan, django_assert_max_num_queries):
    station, reps, _, _ = plan
    for offset in range(1, 6):
        published_day(station, reps, SOON + dt.timedelta(days=60 + offset), today=dt.date.today())
    with django_assert_max_num_queries(3):
        assert len(events(client.get(f"/stations/{station.pk}/calendar.ics"))) == 6
