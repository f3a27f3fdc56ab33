"""Stored dates that follow the working-day calendar and the rules when those change.

Two kinds of date are counted once and stored, so that each daily sweep is one indexed
range scan: a published reception day's ``notice_date`` (stations/notice_dates.py) and
an open case's ``next_sweep_on`` (suggestions/sweep_dates.py). When an administrator
adds, edits or deletes a ``WorkdayAdjustment`` or a ``JurisdictionSettings`` row, the
dates that could depend on it are counted again, after commit, by a Celery task:

- an adjustment on day X: first the reception days planned on or just after X follow
  the planner's choice of date (stations/day_off_moves.py: a planned day moves, a
  published one that X made a day off is flagged to its liaisons and committee); then
  the days and cases whose dates are counted across X, that is reception days up to
  ``_span(30)`` days after X (30 working days is the longest notice lead) and cases
  with a deadline within ``_span(n)`` of X (n the longest due-soon window or
  escalation interval of any jurisdiction);
- a jurisdiction's rules: its region's subtree, reception days when the notice lead
  changed and cases when the due-soon window or the escalation interval changed.

Project-wide wiring (it imports stations/ and suggestions/): the signal receivers
in ``triggers.py`` are connected in ``WiringConfig.ready``. Receivers rather than admin hooks
because every writer — the admin, a shell, a fixture, a later service — goes through
``save`` and ``delete``; they only remember the previous values and schedule the task.
``QuerySet.update`` and ``bulk_create`` send no signals: after such a bulk change run
``manage.py refresh_derived_dates``. Every step is idempotent, so the task or the
command may run any number of times.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max

from liaison.base.models import JurisdictionSettings
from stations.day_off_moves import reception_days_follow_calendar
from stations.notice_dates import reception_notice_dates_refresh
from suggestions.cases.sweep_dates import cases_sweep_dates_refresh

LONGEST_NOTICE_LEAD = 30  # ReceptionDay's check constraint
SWEEP_RULES = ("due_soon_workdays", "escalation_interval_workdays")


@dataclass
class RefreshReport:
    notice_dates: int = 0
    sweep_dates: int = 0
    days_moved: int = 0
    days_flagged: int = 0

    def __str__(self) -> str:
        return (
            f"reception days moved {self.days_moved}, flagged {self.days_flagged}, "
            f"notice dates {self.notice_dates}, case sweep dates {self.sweep_dates}"
        )


def _span(workdays: int) -> dt.timedelta:
    """More calendar days than ``workdays`` working days can take, the longest holidays
    (Spring Festival, National Day, with their weekends) included."""
    return dt.timedelta(days=2 * workdays + 20)


def derived_dates_refresh_around(
    *, days: list[dt.date], today: dt.date | None = None
) -> RefreshReport:
    """The calendar changed on ``days``: the reception days planned on or across them
    follow (stations/day_off_moves.py), then the dates counted across them are counted
    again."""
    report = RefreshReport()
    # First the days themselves (a planned day may move), then their notice dates.
    moves = reception_days_follow_calendar(days=days, today=today)
    report.days_moved, report.days_flagged = moves.moved, moves.flagged
    defaults = JurisdictionSettings()
    longest_in_force = JurisdictionSettings.objects.aggregate(
        soon=Max("due_soon_workdays"), interval=Max("escalation_interval_workdays")
    )
    longest = max(
        defaults.due_soon_workdays,
        defaults.escalation_interval_workdays,
        *(n for n in longest_in_force.values() if n is not None),
    )
    for day in sorted(set(days)):
        report.notice_dates += reception_notice_dates_refresh(
            dates=(day, day + _span(LONGEST_NOTICE_LEAD)), today=today
        )
        # +1: level 2 is counted from the first working day after the deadline.
        span = _span(longest + 1)
        report.sweep_dates += cases_sweep_dates_refresh(deadlines=(day - span, day + span))
    return report


def derived_dates_refresh_for_region(
    *,
    region_code: str,
    previous_lead: int | None = None,
    notice_dates: bool = True,
    sweep_dates: bool = True,
    today: dt.date | None = None,
) -> RefreshReport:
    """A region's rules changed: its subtree's unsent notice dates (days that carried
    ``previous_lead`` take the lead now in force) and its open cases' sweep dates."""
    report = RefreshReport()
    if notice_dates or previous_lead is not None:
        report.notice_dates = reception_notice_dates_refresh(
            region_code=region_code, previous_lead=previous_lead, today=today
        )
    if sweep_dates:
        report.sweep_dates = cases_sweep_dates_refresh(region_code=region_code)
    return report


def derived_dates_refresh_all(*, today: dt.date | None = None) -> RefreshReport:
    """Every unsent notice date and every open case's sweep date (e.g. after a bulk import
    of holidays that sent no signals). The rules' leads are left as they are."""
    return RefreshReport(
        notice_dates=reception_notice_dates_refresh(today=today),
        sweep_dates=cases_sweep_dates_refresh(),
    )
