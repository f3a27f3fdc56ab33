"""Stored notice and sweep dates follow the working-day calendar and the rules when an
administrator changes them; deadlines, sent notices and what the sweeps did stay."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from liaison.base.models import JurisdictionSettings, WorkdayAdjustment
from liaison.celery import app
from liaison.wiring.recompute import (
    RefreshReport,
    derived_dates_refresh_all,
    derived_dates_refresh_around,
    derived_dates_refresh_for_region,
)
from stations.models import ReceptionDay, VisitChannel
from stations.notices import reception_notices_send
from suggestions.cases import services
from suggestions.cases.sweeps import cases_due_soon_remind, cases_escalate
from suggestions.models import Case
from tests.case_world import make_world
from tests.factories import HandlingUnitFactory, StationFactory, UserFactory, region
from tests.reception_factories import published_day, staffed_station
from tests.test_case_sweeps import assigned_case

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 10, 15)  # Thursday: 5-day notice 10-09 (make-up Saturday 10-10 counts)
DAY_OFF = dt.date(2026, 10, 12)  # Monday, made a local day off in these tests
COUNTY, OTHER_COUNTY = "430121000000", "430181000000"


def at(date: dt.date, hour: int = 10, minute: int = 0):
    return time_machine.travel(
        dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture
def eager():
    """The embedded mode's Celery: a task queued after commit runs in this process."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def committed(django_capture_on_commit_callbacks, eager):
    """Run a block as a committed change: its after-commit callbacks (the refresh task) run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def day_at(region_code: str, date: dt.date = DAY, *, lead: int = 5) -> ReceptionDay:
    station, reps = staffed_station("official", station=StationFactory(region=region(region_code)))
    return published_day(station, reps, date, lead=lead, today=dt.date(2026, 9, 1))


def stored(day: ReceptionDay) -> tuple[int, dt.date | None]:
    day.refresh_from_db()
    return day.notice_lead_workdays, day.notice_date


# RECEPTION-DAY NOTICES


def test_a_day_off_entered_later_moves_the_notice_and_it_goes_out_on_the_new_day(committed):
    """Monday 10-12 made a day off: 5 working days before 10-15 is now Thursday 10-08, and
    the notice goes out that morning, not on 10-09."""
    day = day_at("430121001000")
    assert stored(day) == (5, dt.date(2026, 10, 9))
    with at(dt.date(2026, 9, 21)), committed():
        WorkdayAdjustment.objects.create(date=DAY_OFF, is_workday=False, name="地方节日")
    assert stored(day) == (5, dt.date(2026, 10, 8))
    with at(dt.date(2026, 10, 7), 7, 30):
        assert reception_notices_send() == 0
    with at(dt.date(2026, 10, 8), 7, 30):
        assert reception_notices_send() == 1
    day.refresh_from_db()
    assert day.noticed_at.astimezone(SHANGHAI).date() == dt.date(2026, 10, 8)


def test_a_day_already_noticed_keeps_its_notice_date(committed):
    """The notice of 10-15 went out on 10-09; a day off entered afterwards changes nothing
    about it, while the unsent day of 10-16 at another station moves from 10-10 to 10-09."""
    noticed = day_at("430121001000")
    unsent = day_at("430121002000", dt.date(2026, 10, 16))
    assert stored(unsent) == (5, dt.date(2026, 10, 10))
    with at(dt.date(2026, 10, 9), 7, 30):
        assert reception_notices_send() == 1
    noticed.refresh_from_db()
    sent_at = noticed.noticed_at
    with at(dt.date(2026, 10, 9), 11), committed():
        WorkdayAdjustment.objects.create(date=DAY_OFF, is_workday=False, name="地方节日")
    assert stored(noticed) == (5, dt.date(2026, 10, 9))
    noticed.refresh_from_db()
    assert noticed.noticed_at == sent_at
    assert stored(unsent) == (5, dt.date(2026, 10, 9))
    with at(dt.date(2026, 10, 9), 12):  # today now: the next run sends it
        assert reception_notices_send() == 1
    assert stored(noticed) == (5, dt.date(2026, 10, 9))


def test_a_shorter_notice_lead_moves_only_that_regions_unsent_days(
    committed, django_capture_on_commit_callbacks
):
    """长沙县 goes from 5 to 3 working days: its days carrying 5 take 3 (10-15's notice moves
    to Monday 10-12, a planned day's lead follows too); a day whose lead a liaison set by
    hand and the other county's day keep theirs. Running it again changes nothing."""
    same = day_at("430121001000")
    by_hand = day_at("430121002000", lead=4)
    other = day_at("430181001000")
    planned = ReceptionDay.objects.create(
        station=same.station, date=dt.date(2026, 11, 16), notice_lead_workdays=5
    )
    with at(dt.date(2026, 9, 21)):
        with django_capture_on_commit_callbacks() as scheduled:
            rules = JurisdictionSettings.objects.create(region=region(COUNTY))
        assert scheduled == []  # the documents' values again: nothing to count
        rules.notice_lead_workdays = 3
        with committed():
            rules.save()
    assert stored(same) == (3, dt.date(2026, 10, 12))
    assert stored(planned) == (3, None)
    assert stored(by_hand) == (4, dt.date(2026, 10, 10))
    assert stored(other) == (5, dt.date(2026, 10, 9))
    with at(dt.date(2026, 9, 21)):
        again = derived_dates_refresh_for_region(region_code=COUNTY, previous_lead=5)
    assert again == RefreshReport(0, 0)

    with at(dt.date(2026, 9, 22)), committed():
        rules.delete()  # back to the documents' 5
    assert stored(same) == (5, dt.date(2026, 10, 9))
    assert stored(planned) == (5, None)
    assert stored(by_hand) == (4, dt.date(2026, 10, 10))


def test_a_township_row_of_its_own_moves_only_that_township(committed):
    """The county says 5; 星沙街道 gets a row of its own saying 3: only its days move."""
    JurisdictionSettings.objects.create(region=region(COUNTY))
    township = day_at("430121001000")
    neighbour = day_at("430121002000")
    with at(dt.date(2026, 9, 21)), committed():
        JurisdictionSettings.objects.create(region=region("430121001000"), notice_lead_workdays=3)
    assert stored(township) == (3, dt.date(2026, 10, 12))
    assert stored(neighbour) == (5, dt.date(2026, 10, 9))


# CASE SWEEP DATES


@pytest.fixture
def world():
    return make_world()


def test_a_make_up_day_moves_the_sweep_dates_of_open_cases_but_not_their_deadlines(
    world, committed
):
    """Saturday 11-14 becomes a make-up working day on 11-11. Level 2 of the case due 11-09
    (level 1 fired 11-10) comes a day earlier, 11-16; the case due 11-17 is reminded on
    11-13, not 11-12, and keeps its deadline; the case already reminded is not reminded again."""
    escalated = assigned_case(world)  # due 11-09
    reminded = assigned_case(world, dt.date(2026, 11, 9))  # due 11-16
    waiting = assigned_case(world, dt.date(2026, 11, 10))  # due 11-17
    with at(dt.date(2026, 11, 10), 8):
        assert cases_escalate() == 1
    with at(dt.date(2026, 11, 11), 7, 50):
        assert cases_due_soon_remind() == 1
    before = {case.pk: Case.objects.get(pk=case.pk) for case in (escalated, reminded, waiting)}
    events = {pk: case.events.count() for pk, case in before.items()}
    assert [before[c.pk].next_sweep_on for c in (escalated, reminded, waiting)] == [
        dt.date(2026, 11, 17),
        dt.date(2026, 11, 17),
        dt.date(2026, 11, 12),
    ]

    with at(dt.date(2026, 11, 11), 10), committed():
        WorkdayAdjustment.objects.create(date=dt.date(2026, 11, 14), is_workday=True, name="调休")
    after = {case.pk: Case.objects.get(pk=case.pk) for case in (escalated, reminded, waiting)}
    assert [after[c.pk].next_sweep_on for c in (escalated, reminded, waiting)] == [
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 17),
        dt.date(2026, 11, 13),
    ]
    for pk, case in after.items():
        old = before[pk]
        assert (case.deadline, case.deadline_explanation) == (
            old.deadline,
            old.deadline_explanation,
        )
        assert (case.escalation_level, case.updated_at) == (old.escalation_level, old.updated_at)
        assert case.events.count() == events[pk]  # a moved sweep date is not an event
    with at(dt.date(2026, 11, 11), 11):
        assert derived_dates_refresh_around(days=[dt.date(2026, 11, 14)]) == RefreshReport(0, 0)

    with at(dt.date(2026, 11, 12), 7, 50):
        assert cases_due_soon_remind() == 0
    with at(dt.date(2026, 11, 13), 7, 50):
        assert cases_due_soon_remind() == 1
    with at(dt.date(2026, 11, 16), 8):
        assert cases_escalate() == 1
    escalated.refresh_from_db()
    assert (escalated.escalation_level, escalated.next_sweep_on) == (2, None)


def test_a_shorter_escalation_interval_brings_level_two_forward_in_that_county_only(
    world, committed
):
    """长沙县 escalates after 3 working days instead of 5: level 2 of its case overdue since
    11-10 is due 11-13; a case of another county keeps 11-17."""
    ours, theirs = assigned_case(world), other_county_case(world)
    with at(dt.date(2026, 11, 10), 8):
        assert cases_escalate() == 2
    theirs.refresh_from_db()
    assert theirs.next_sweep_on == dt.date(2026, 11, 17)
    with at(dt.date(2026, 11, 10), 10), committed():
        JurisdictionSettings.objects.create(region=region(COUNTY), escalation_interval_workdays=3)
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert (ours.next_sweep_on, theirs.next_sweep_on) == (
        dt.date(2026, 11, 13),
        dt.date(2026, 11, 17),
    )


def other_county_case(world) -> Case:
    """A case of 浏阳市's station, referred Monday 11-02 and escalated to level 1 on 11-10."""
    u = world.users
    with at(dt.date(2026, 11, 2), 9):
        visit = services.visit_record(
            actor=u["other_liaison"],
            station=world.other_station,
            channel=VisitChannel.HOUSEHOLD,
            visited_at=dt.datetime(2026, 11, 2, 8, tzinfo=SHANGHAI),
            constituent_name="王五",
            cases=[{"title": "路面塌陷", "description": "街口路面塌陷。"}],
        )
        case = visit.cases.get()
        services.case_register(
            case_id=case.pk, actor=u["other_liaison"], category=world.category, authority="county"
        )
        # A unit of that county: a case goes only to units of its own place and above.
        unit = HandlingUnitFactory(region=region(OTHER_COUNTY, "浏阳市"))
        services.case_refer_by_letter(
            case_id=case.pk, actor=u["other_committee"], unit=unit, workdays=5
        )
    return Case.objects.get(pk=case.pk)


# BY HAND AND THROUGH THE ADMIN


def test_the_command_counts_again_after_a_bulk_change_that_sent_no_signal(capsys):
    """bulk_create sends no signals: the command, by date, catches up; a second run
    changes nothing."""
    day = day_at("430121001000")
    WorkdayAdjustment.objects.bulk_create(
        [WorkdayAdjustment(date=DAY_OFF, is_workday=False, name="地方节日")]
    )
    assert stored(day) == (5, dt.date(2026, 10, 9))
    with at(dt.date(2026, 9, 21)):
        call_command("refresh_derived_dates", "--date", DAY_OFF.isoformat())
        assert "notice dates 1, case sweep dates 0" in capsys.readouterr().out
        call_command("refresh_derived_dates")
        assert "notice dates 0, case sweep dates 0" in capsys.readouterr().out
        assert derived_dates_refresh_all() == RefreshReport(0, 0)
    assert stored(day) == (5, dt.date(2026, 10, 8))


def test_the_admin_entering_and_deleting_a_day_off_moves_the_notice_and_back(client, committed):
    """Through the admin's add and delete pages, as an administrator does it."""
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    day = day_at("430121001000")
    with at(dt.date(2026, 9, 21)), committed():
        response = client.post(
            "/admin/liaison/workdayadjustment/add/",
            {"date": DAY_OFF.isoformat(), "name": "地方节日"},  # "working day" unticked
        )
    assert response.status_code == 302
    assert stored(day) == (5, dt.date(2026, 10, 8))
    adjustment = WorkdayAdjustment.objects.get(date=DAY_OFF)
    with at(dt.date(2026, 9, 22)), committed():
        response = client.post(
            f"/admin/liaison/workdayadjustment/{adjustment.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    assert stored(day) == (5, dt.date(2026, 10, 9))


def settings_form(rules: JurisdictionSettings, **changes) -> dict:
    """The admin change form as posted: every field's value (an unticked box is absent)."""
    form = {
        field.name: getattr(rules, field.attname)
        for field in JurisdictionSettings._meta.fields
        if getattr(rules, field.attname) is not False
    }
    return {**form, **changes}


def test_the_admin_changing_the_notice_lead_moves_the_regions_days(client, committed):
    """The jurisdiction settings' change page, lead 5 → 3 for 长沙县."""
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    rules = JurisdictionSettings.objects.create(region=region(COUNTY))
    day = day_at("430121001000")
    form = settings_form(rules, notice_lead_workdays=3)
    with at(dt.date(2026, 9, 21)), committed():
        response = client.post(f"/admin/liaison/jurisdictionsettings/{COUNTY}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert stored(day) == (3, dt.date(2026, 10, 12))


def test_the_admin_refuses_a_notice_lead_no_reception_day_accepts(client, committed):
    """31 working days: the form says at most 30, in Chinese, and nothing changes."""
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    rules = JurisdictionSettings.objects.create(region=region(COUNTY))
    day = day_at("430121001000")
    form = settings_form(rules, notice_lead_workdays=31)
    with at(dt.date(2026, 9, 21)), committed():
        response = client.post(
            f"/admin/liaison/jurisdictionsettings/{COUNTY}/change/",
            form,
            HTTP_ACCEPT_LANGUAGE="zh-CN",
        )
    assert response.status_code == 200
    assert "30" in response.content.decode() and "errorlist" in response.content.decode()
    rules.refresh_from_db()
    assert rules.notice_lead_workdays == 5
    assert stored(day) == (5, dt.date(2026, 10, 9))
