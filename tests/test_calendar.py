import datetime as dt

import pytest
from django.utils.translation import gettext

from liaison.base.calendar import WorkdayCalendar, add_workdays
from liaison.base.models import WorkdayAdjustment
from suggestions.shared import deadlines

pytestmark = pytest.mark.django_db


def test_five_working_days_before_national_day_week_reception():
    """5 working days before 2026-10-15 is 2026-10-09: the make-up Saturday 10-10 counts,
    the National Day week does not come into it."""
    deadline = add_workdays(dt.date(2026, 10, 15), -5)
    assert deadline.date == dt.date(2026, 10, 9)
    assert dt.date(2026, 10, 10) not in [day for day, _reason in deadline.skipped]
    assert WorkdayCalendar(dt.date(2026, 10, 10)).is_workday(dt.date(2026, 10, 10))


def test_a_reply_deadline_across_the_2026_spring_festival():
    """15 working days from 2026-02-10 skip the Spring Festival holiday and count its
    make-up Saturdays; the explanation lists every skipped day with its reason."""
    date, explanation = deadlines.in_workdays(start=dt.date(2026, 2, 10), workdays=15, rule="reply")
    calendar = WorkdayCalendar(dt.date(2026, 2, 10))
    counted = [
        dt.date(2026, 2, 10) + dt.timedelta(days=n)
        for n in range(1, (date - dt.date(2026, 2, 10)).days + 1)
        if calendar.is_workday(dt.date(2026, 2, 10) + dt.timedelta(days=n))
    ]
    assert len(counted) == 15 and counted[-1] == date
    skipped = {dt.date.fromisoformat(day): reason for day, reason in explanation["skipped"]}
    festival = [day for day, reason in skipped.items() if reason != gettext("weekend")]
    assert festival and all(dt.date(2026, 2, 14) <= day <= dt.date(2026, 2, 24) for day in festival)
    # Plain Mon–Fri counting would land much earlier: the holiday pushed it out.
    assert date > dt.date(2026, 3, 3)
    assert explanation["weekday_only_years"] == []


def test_2027_without_adjustments_counts_monday_to_friday_and_says_so(settings):
    """Without the provisional layer, a year the package does not cover is counted Mon–Fri,
    flagged, and never crashes."""
    settings.PROVISIONAL_HOLIDAYS = False
    deadline = add_workdays(dt.date(2027, 2, 5), 5)
    assert deadline.date == dt.date(2027, 2, 12)
    assert deadline.weekday_only_years == [2027]


def test_2027_with_administrator_adjustments():
    """Administrators' Spring Festival entries win: holidays skipped, a make-up Sunday counts."""
    for day in range(8, 13):
        WorkdayAdjustment.objects.create(date=dt.date(2027, 2, day), is_workday=False, name="春节")
    WorkdayAdjustment.objects.create(date=dt.date(2027, 2, 7), is_workday=True, name="春节调休")
    deadline = add_workdays(dt.date(2027, 2, 5), 5)
    # Sun 2-7 counts (1), 2-8..2-12 are off, then 2-15..2-18 (2..5).
    assert deadline.date == dt.date(2027, 2, 18)
    assert (dt.date(2027, 2, 8), "春节") in deadline.skipped
    assert deadline.weekday_only_years == [2027]  # other 2027 days still fall back


def test_explanations_read_as_one_sentence():
    """Staff see how a deadline was computed: rule, start, end, skipped days."""
    _date, explanation = deadlines.in_workdays(start=dt.date(2026, 9, 30), workdays=2, rule="reply")
    text = deadlines.explain(explanation)
    assert "2026-09-30" in text and "2026-10-01" in text
