"""Reception days follow the calendar when a day off is entered later: a planned day moves
to the planner's date with its duties, a published one stays and its liaisons and
committee are told once, a day in a jurisdiction that keeps days off is left alone."""

import datetime as dt

import pytest
from django.urls import reverse

from liaison.base.models import CommitteeMembership, JurisdictionSettings, WorkdayAdjustment
from liaison.base.notifications.models import Notification, NotificationKind
from liaison.celery import app
from liaison.wiring.recompute import derived_dates_refresh_around
from stations.models import DutyAssignment, ReceptionDay, ReceptionStatus, StaffRole, StationStaff
from stations.services import reception_day_set_duty
from tests.factories import MembershipFactory, StationFactory, UserFactory, region
from tests.reception_factories import published_day, staffed_station
from tests.test_derived_dates import at

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 10, 15)  # Thursday, the default 15th: a working day until made a day off
NEXT = dt.date(2026, 10, 16)  # Friday: where the planner puts October's day then
BEFORE = dt.date(2026, 9, 21)
TOWNSHIP, COUNTY = "430121001000", "430121000000"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A committed change: its after-commit task (the refresh) runs here, eagerly."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    app.conf.task_always_eager = previous


def planned_day(station, reps, date: dt.date = DAY) -> ReceptionDay:
    day = ReceptionDay.objects.create(station=station, date=date, place="便民服务中心")
    reception_day_set_duty(actor=None, day=day, representatives=reps)
    return day


def day_off(date: dt.date = DAY) -> WorkdayAdjustment:
    return WorkdayAdjustment.objects.create(date=date, is_workday=False, name="地方节日")


def liaison_and_committee(station):
    liaison = UserFactory(is_staff=True)
    StationStaff.objects.create(station=station, user=liaison, role=StaffRole.LIAISON)
    committee = UserFactory(is_staff=True)
    CommitteeMembership.objects.create(user=committee, region=region(TOWNSHIP))
    return liaison, committee


def day_off_notices():
    return Notification.objects.filter(kind=NotificationKind.RECEPTION_DAY_OFF)


def test_the_admin_entering_a_day_off_moves_a_planned_day_and_its_duties_and_back(
    client, committed
):
    """October's day on Thursday 10-15 moves to Friday 10-16 when 10-15 is made a day off
    in the admin, with both people on duty; deleting the day off brings it back."""
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    station, reps = staffed_station(
        "official", "grassroots", station=StationFactory(region=region(TOWNSHIP))
    )
    day = planned_day(station, reps)
    with at(BEFORE), committed():
        response = client.post(
            "/admin/liaison/workdayadjustment/add/",
            {"date": DAY.isoformat(), "name": "地方节日"},  # "working day" unticked
        )
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.date == NEXT
    assert set(DutyAssignment.objects.filter(reception_day=day).values_list("date", flat=True)) == {
        NEXT
    }
    assert DutyAssignment.objects.filter(reception_day=day).count() == 2
    assert not day_off_notices().exists()

    adjustment = WorkdayAdjustment.objects.get(date=DAY)
    with at(BEFORE), committed():
        response = client.post(
            f"/admin/liaison/workdayadjustment/{adjustment.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.date == DAY
    assert set(DutyAssignment.objects.filter(reception_day=day).values_list("date", flat=True)) == {
        DAY
    }


def test_a_jurisdiction_that_keeps_days_off_is_untouched(committed):
    JurisdictionSettings.objects.create(region=region(COUNTY), keep_non_working_reception_day=True)
    station, reps = staffed_station("official", station=StationFactory(region=region(TOWNSHIP)))
    liaison_and_committee(station)
    day = planned_day(station, reps)
    with at(BEFORE), committed():
        day_off()
    day.refresh_from_db()
    assert day.date == DAY
    assert DutyAssignment.objects.get(reception_day=day).date == DAY
    assert not day_off_notices().exists()


def test_a_day_already_past_is_not_moved(committed):
    station, reps = staffed_station("official", station=StationFactory(region=region(TOWNSHIP)))
    day = planned_day(station, reps)
    with at(NEXT), committed():
        day_off()
    day.refresh_from_db()
    assert day.date == DAY


def test_a_published_day_stays_and_its_liaisons_and_committee_are_told_once(client, committed):
    station, reps = staffed_station("official", station=StationFactory(region=region(TOWNSHIP)))
    liaison, committee = liaison_and_committee(station)
    other_county = UserFactory(is_staff=True)  # not this township's committee
    CommitteeMembership.objects.create(user=other_county, region=region("430181001000"))
    day = published_day(station, reps, DAY, today=BEFORE)
    with at(BEFORE), committed():
        adjustment = day_off()
    day.refresh_from_db()
    assert (day.date, day.status) == (DAY, ReceptionStatus.PUBLISHED)
    with at(BEFORE):
        again = derived_dates_refresh_around(days=[DAY])
    assert (again.days_moved, again.days_flagged) == (0, 1)
    notices = day_off_notices()
    assert sorted(notices.values_list("user_id", flat=True)) == sorted([liaison.pk, committee.pk])
    body = notices.first().body
    assert station.name in body and DAY.isoformat() in body and "地方节日" in body

    client.force_login(liaison)
    page = reverse("staff:reception-day", args=[day.pk])
    with at(BEFORE):
        assert "地方节日" in client.get(page).content.decode()
        with committed():
            adjustment.delete()
        assert "地方节日" not in client.get(page).content.decode()
    assert day_off_notices().count() == 2


def test_a_move_that_would_double_book_someone_is_flagged_not_made(committed):
    """The representative on duty at 10-15 here is on duty at another station on 10-16."""
    station, reps = staffed_station("official", station=StationFactory(region=region(TOWNSHIP)))
    liaison, _committee = liaison_and_committee(station)
    elsewhere = StationFactory(region=region("430121002000"))
    MembershipFactory(station=elsewhere, representative=reps[0])
    planned_day(elsewhere, reps, NEXT)
    day = planned_day(station, reps)
    with at(BEFORE), committed():
        day_off()
    day.refresh_from_db()
    assert day.date == DAY
    assert DutyAssignment.objects.get(reception_day=day).date == DAY
    notice = day_off_notices().get(user=liaison)
    assert reps[0].name in notice.body and NEXT.isoformat() in notice.body


def test_a_date_chosen_by_hand_is_not_moved_but_flagged(committed):
    """Tuesday 10-20 is not where the planner puts October's day (the 15th is a working
    day in between): made a day off, the day stays and its liaison is told."""
    station, reps = staffed_station("official", station=StationFactory(region=region(TOWNSHIP)))
    liaison, _committee = liaison_and_committee(station)
    by_hand = dt.date(2026, 10, 20)
    day = planned_day(station, reps, by_hand)
    with at(BEFORE), committed():
        day_off(by_hand)
    day.refresh_from_db()
    assert day.date == by_hand
    assert day_off_notices().filter(user=liaison, subject_id=day.pk).count() == 1
