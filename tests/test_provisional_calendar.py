"""Past chinese-calendar's tables, deadlines skip the statutory holidays computed by rule,
marked provisional, and are counted again when the official arrangement is entered."""

import datetime as dt

import pytest

from liaison.base.calendar import WorkdayCalendar, add_workdays
from liaison.base.models import JurisdictionSettings, WorkdayAdjustment
from suggestions.models import Case, CaseEvent, Step
from suggestions.shared import deadlines
from tests.case_world import COUNTY, case_at, make_world
from tests.clock import frozen

pytestmark = pytest.mark.django_db

FEB_1 = dt.date(2027, 2, 1)  # a Monday, days before the 2027 Spring Festival (Feb 6)
# An official arrangement as the State Council might publish it: Feb 5–11 off, Saturday
# Feb 20 a make-up working day.
OFFICIAL_DAYS_OFF = [dt.date(2027, 2, day) for day in (5, 6, 7, 8, 9, 10, 11)]
MAKE_UP_DAY = dt.date(2027, 2, 20)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """The recompute task runs in this process when the adjustments commit."""
    from liaison.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    app.conf.task_always_eager = previous


def enter_official_arrangement():
    for day in OFFICIAL_DAYS_OFF:
        WorkdayAdjustment.objects.create(date=day, is_workday=False, name="春节")
    WorkdayAdjustment.objects.create(date=MAKE_UP_DAY, is_workday=True, name="春节调休")


def test_ten_working_days_from_feb_1_2027_skip_the_spring_festival_provisionally():
    date, explanation = deadlines.in_workdays(start=FEB_1, workdays=10, rule="reply")
    # Feb 2–4, then the Spring Festival by rule (eve Feb 5, Feb 6–8, and Feb 9–10 owed for
    # the weekend), Feb 11–12, Feb 15–19.
    assert date == dt.date(2027, 2, 19)
    assert explanation["provisional"] is True
    assert explanation["provisional_years"] == [2027]
    skipped = dict(explanation["skipped"])
    assert skipped["2027-02-08"].startswith("春节")
    assert "2027-02-10" in skipped
    text = deadlines.explain(explanation)
    assert "暂定" in text and "2027" in text


def test_monday_to_friday_without_the_provisional_layer(settings):
    settings.PROVISIONAL_HOLIDAYS = False
    date, explanation = deadlines.in_workdays(start=FEB_1, workdays=10, rule="reply")
    assert date == dt.date(2027, 2, 15)
    assert explanation["provisional"] is False
    assert explanation["weekday_only_years"] == [2027]


def test_every_calendar_follows_the_setting():
    """One count everywhere: with the setting on (the default) any calendar skips the
    provisional holidays, as the deadlines do; told otherwise, it stays on the official
    days (Monday to Friday in 2027)."""
    assert (
        add_workdays(FEB_1, 10).date
        == deadlines.in_workdays(start=FEB_1, workdays=10, rule="reply")[0]
    )
    assert WorkdayCalendar(FEB_1, provisional=False).shift(FEB_1, 10).date == dt.date(2027, 2, 15)
    assert WorkdayCalendar(FEB_1, provisional=True).shift(FEB_1, 10).provisional_years == [2027]


def test_years_the_package_covers_are_not_provisional():
    _, explanation = deadlines.in_workdays(start=dt.date(2026, 2, 10), workdays=5, rule="reply")
    assert explanation["provisional"] is False
    assert explanation["provisional_years"] == []


def test_months_landing_on_a_provisional_holiday_move_to_the_next_working_day():
    date, explanation = deadlines.in_months(start=dt.date(2026, 9, 1), months=13, rule="suggestion")
    # 2027-10-01 is National Day by rule: the next working day after Oct 1–5 is Oct 6.
    assert date == dt.date(2027, 10, 6)
    assert explanation["provisional"] is True


@frozen(FEB_1)
def test_a_case_deadline_moves_when_the_official_arrangement_is_entered(committed):
    world = make_world()
    JurisdictionSettings.objects.create(region_id=COUNTY, reply_workdays=10)
    case = case_at(world, Step.HANDLING)
    assert case.deadline == dt.date(2027, 2, 19)
    assert case.deadline_explanation["provisional"] is True

    with committed():
        enter_official_arrangement()

    case = Case.objects.get(pk=case.pk)
    # Feb 2–4, Feb 12, Feb 15–19, and the make-up Saturday Feb 20.
    assert case.deadline == dt.date(2027, 2, 20)
    assert case.deadline_explanation["provisional_years"] == []
    assert case.deadline_explanation["counted_before"] == ["2027-02-19"]
    assert ["2027-02-20", "春节调休"] not in case.deadline_explanation["skipped"]
    event = CaseEvent.objects.get(case=case, kind="recount_deadline")
    assert event.actor is None and event.data == {"deadline": "2027-02-20", "before": "2027-02-19"}
    assert "2027-02-19" in deadlines.explain(case.deadline_explanation)

    # Entering the same days again (or any later change that does not move it) moves nothing.
    with committed():
        WorkdayAdjustment.objects.filter(date=MAKE_UP_DAY).get().save()
    assert CaseEvent.objects.filter(case=case, kind="recount_deadline").count() == 1


@frozen(FEB_1)
def test_closed_cases_keep_their_deadline(committed):
    world = make_world()
    JurisdictionSettings.objects.create(region_id=COUNTY, reply_workdays=10)
    case = case_at(world, Step.ARCHIVED)
    before = case.deadline
    with committed():
        enter_official_arrangement()
    assert Case.objects.get(pk=case.pk).deadline == before
    assert not CaseEvent.objects.filter(case=case, kind="recount_deadline").exists()
