"""Reception days on the flow engine: every move has an actor, a permission and an event."""

import datetime as dt

import pytest
from django.db import connection

from liaison.base.flow import IllegalTransition, NotAllowed
from liaison.base.history import ImmutableEvent
from stations.flow import RECEPTION_DAYS
from stations.models import ReceptionDay, ReceptionDayEvent, ReceptionStatus
from stations.services import (
    reception_day_cancel,
    reception_day_hold,
    reception_day_publish,
    reception_day_set_duty,
    reception_day_unpublish,
    reception_day_update,
    reception_days_publish,
)
from tests.factories import (
    HandlingUnitFactory,
    StationFactory,
    committee_user,
    liaison_user,
    representative_user,
    unit_user,
)
from tests.reception_factories import staffed_station

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 10, 15)
BEFORE = dt.date(2026, 9, 1)


@pytest.fixture
def station_day():
    station, reps = staffed_station("official", "grassroots")
    day = ReceptionDay.objects.create(station=station, date=DAY, place="便民服务中心")
    return station, reps, day


def test_the_station_liaison_plans_publishes_and_holds_a_day_with_a_history(station_day):
    """Each move leaves an event with who made it and the statuses before and after."""
    station, reps, day = station_day
    liaison = liaison_user(station)
    reception_day_set_duty(day=day, actor=liaison, representatives=reps)
    reception_day_update(day=day, actor=liaison, place="村委会会议室")
    reception_day_publish(day=day, actor=liaison, today=BEFORE)
    reception_day_hold(day=day, actor=liaison, today=DAY)
    events = list(
        ReceptionDayEvent.objects.filter(reception_day=day).values_list(
            "kind", "actor", "from_step", "to_step"
        )
    )
    planned, published, held = ReceptionStatus.PLANNED, ReceptionStatus.PUBLISHED, "held"
    assert events == [
        ("set_duty", liaison.pk, planned, planned),
        ("edit", liaison.pk, planned, planned),
        ("publish", liaison.pk, planned, published),
        ("hold", liaison.pk, published, held),
    ]
    edit = ReceptionDayEvent.objects.get(reception_day=day, kind="edit")
    assert edit.data == {"place": {"from": "便民服务中心", "to": "村委会会议室"}}


def test_who_may_move_a_reception_day(station_day):
    """The station's liaison, a committee over its region, an administrator and the system
    may; another station's liaison, a unit's staff and a representative may not."""
    station, reps, day = station_day
    reception_day_set_duty(day=day, actor=None, representatives=reps)
    allowed = {
        "liaison": liaison_user(station),
        "committee": committee_user(station.region_id[:6] + "000000"),
        "system": None,
    }
    refused = {
        "other liaison": liaison_user(StationFactory()),
        "unit": unit_user(HandlingUnitFactory()),
        "representative": representative_user(reps[0]),
    }
    for role, user in refused.items():
        with pytest.raises(NotAllowed):
            reception_day_publish(day=day, actor=user, today=BEFORE)
        assert ReceptionDay.objects.get(pk=day.pk).status == ReceptionStatus.PLANNED, role
        assert RECEPTION_DAYS.available(user, day) == [], role
    for role, user in allowed.items():
        offered = {t.name for t in RECEPTION_DAYS.available(user, day)}
        assert {"publish", "cancel", "edit", "set_duty"} <= offered, role
        reception_day_publish(day=day, actor=user, today=BEFORE)
        reception_day_unpublish(day=day, actor=user)
    assert (
        not ReceptionDayEvent.objects.filter(reception_day=day, kind="publish")
        .exclude(actor__in=[u for u in allowed.values() if u])
        .exclude(actor__isnull=True)
        .exists()
    )


def test_a_move_from_the_wrong_status_is_an_illegal_transition(station_day):
    station, reps, day = station_day
    liaison = liaison_user(station)
    reception_day_set_duty(day=day, actor=liaison, representatives=reps)
    with pytest.raises(IllegalTransition):
        reception_day_hold(day=day, actor=liaison, today=DAY)
    reception_day_cancel(day=day, actor=liaison, reason="场地维修")
    with pytest.raises(IllegalTransition):
        reception_day_publish(day=day, actor=liaison, today=BEFORE)
    assert RECEPTION_DAYS.available(liaison, ReceptionDay.objects.get(pk=day.pk)) == []
    assert ReceptionDayEvent.objects.get(reception_day=day, kind="cancel").note == "场地维修"


def test_publishing_a_plan_writes_one_event_per_day_and_skips_stations_not_run(station_day):
    """A liaison publishing a list of days publishes only their own station's."""
    station, reps, day = station_day
    other_station, other_reps = staffed_station("official")
    other_day = ReceptionDay.objects.create(station=other_station, date=DAY, place="会议室")
    reception_day_set_duty(day=day, actor=None, representatives=reps)
    reception_day_set_duty(day=other_day, actor=None, representatives=other_reps)
    liaison = liaison_user(station)
    count = reception_days_publish(days=[day, other_day], actor=liaison, today=BEFORE)
    assert count == 1
    assert ReceptionDay.objects.get(pk=other_day.pk).status == ReceptionStatus.PLANNED
    assert list(
        ReceptionDayEvent.objects.filter(kind="publish").values_list("reception_day", "actor")
    ) == [(day.pk, liaison.pk)]


def test_reception_day_history_is_append_only(station_day):
    _station, reps, day = station_day
    reception_day_set_duty(day=day, actor=None, representatives=reps)
    event = ReceptionDayEvent.objects.get(reception_day=day)
    event.note = "改写"
    with pytest.raises(ImmutableEvent):
        event.save()
    with pytest.raises(ImmutableEvent):
        ReceptionDayEvent.objects.filter(pk=event.pk).update(note="改写")
    if connection.vendor == "postgresql":
        from django.db import DatabaseError, transaction

        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE stations_receptiondayevent SET note = 'x' WHERE id = %s", [event.pk]
            )


def test_the_day_page_offers_only_the_moves_the_user_may_make(client, station_day):
    """The status buttons come from the table: a planned, staffed day offers publish and
    cancel to its liaison, with the table's labels."""
    station, reps, day = station_day
    reception_day_set_duty(day=day, actor=None, representatives=reps)
    liaison = liaison_user(station)
    client.force_login(liaison)
    page = client.get(f"/staff/reception/days/{day.pk}/", HTTP_ACCEPT_LANGUAGE="en").content
    page = page.decode()
    assert f"/staff/reception/days/{day.pk}/publish/" in page
    assert f"/staff/reception/days/{day.pk}/cancel/" in page
    assert f"/staff/reception/days/{day.pk}/hold/" not in page
    client.force_login(liaison_user(StationFactory()))
    assert client.get(f"/staff/reception/days/{day.pk}/").status_code == 404
