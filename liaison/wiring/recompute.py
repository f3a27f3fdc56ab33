"""Stored dates that follow the working-day calendar and the rules when those change.

Two kinds of date are counted once and stored, so that each daily sweep is one indexed
range scan: a published reception day's ``notice_date`` (stations/notice_dates.py) and
the ``next_sweep_on`` of an open case or suggestion (suggestions/cases/sweep_dates.py,
suggestions/proposals/sweep_dates.py). When an administrator
adds, edits or deletes a ``WorkdayAdjustment`` or a ``JurisdictionSettings`` row, the
dates that could depend on it are counted again, after commit, by a Celery task:

- an adjustment on day X: first the reception days planned on or just after X follow
  the planner's choice of date (stations/day_off_moves.py: a planned day moves, a
  published one that X made a day off is flagged to its liaisons and committee); then
  the days, cases and suggestions whose dates are counted across X, that is reception
  days up to ``_span(30)`` days after X (30 working days is the longest notice lead) and
  cases and suggestions with a deadline within ``_span(n + 1)`` of X (n the longest
  due-soon window or escalation ladder, ``(escalation_levels - 1)`` intervals, of any
  jurisdiction);
- an adjustment in a year whose official arrangement was missing: first the provisional
  deadlines of open cases and suggestions that wait for that year are counted again
  (suggestions/shared/recount.py), then the rest follows from them;
- a jurisdiction's rules: its region's subtree, reception days when the notice lead
  changed and cases and suggestions when the due-soon window, the escalation interval or
  the number of escalation levels changed.

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
from suggestions.models import Case, CaseEvent
from suggestions.proposals.models import Suggestion, SuggestionEvent
from suggestions.proposals.sweep_dates import suggestions_sweep_dates_refresh
from suggestions.shared.recount import provisional_deadlines_recount

LONGEST_NOTICE_LEAD = 30  # ReceptionDay's check constraint
SWEEP_RULES = ("due_soon_workdays", "escalation_interval_workdays", "escalation_levels")


@dataclass
class RefreshReport:
    notice_dates: int = 0
    sweep_dates: int = 0  # cases'
    days_moved: int = 0
    days_flagged: int = 0
    suggestion_sweep_dates: int = 0
    deadlines_recounted: int = 0  # provisional deadlines of cases and suggestions

    def __str__(self) -> str:
        return (
            f"reception days moved {self.days_moved}, flagged {self.days_flagged}, "
            f"provisional deadlines moved {self.deadlines_recounted}, "
            f"notice dates {self.notice_dates}, case sweep dates {self.sweep_dates}, "
            f"suggestion sweep dates {self.suggestion_sweep_dates}"
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
    # Provisional deadlines of the years that changed, before the sweep dates built on them.
    years = {day.year for day in days}
    report.deadlines_recounted = provisional_deadlines_recount(
        rows=Case.objects.open(), event_model=CaseEvent, subject="case", years=years
    ) + provisional_deadlines_recount(
        rows=Suggestion.objects.open(),
        event_model=SuggestionEvent,
        subject="suggestion",
        years=years,
    )
    # +1: the ladder is counted from the first working day after the deadline.
    span = _span(_longest_sweep_rule() + 1)
    for day in sorted(set(days)):
        report.notice_dates += reception_notice_dates_refresh(
            dates=(day, day + _span(LONGEST_NOTICE_LEAD)), today=today
        )
        around = (day - span, day + span)
        report.sweep_dates += cases_sweep_dates_refresh(deadlines=around)
        report.suggestion_sweep_dates += suggestions_sweep_dates_refresh(deadlines=around)
    return report


def _longest_sweep_rule() -> int:
    """The most working days between a deadline and a sweep date in any jurisdiction: the
    due-soon window before it, or the ladder's last level after it."""
    defaults = JurisdictionSettings()
    in_force = JurisdictionSettings.objects.aggregate(
        soon=Max("due_soon_workdays"),
        interval=Max("escalation_interval_workdays"),
        levels=Max("escalation_levels"),
    )
    soon = max(defaults.due_soon_workdays, in_force["soon"] or 0)
    interval = max(defaults.escalation_interval_workdays, in_force["interval"] or 0)
    levels = max(defaults.escalation_levels, in_force["levels"] or 0)
    return max(soon, (levels - 1) * interval)


def derived_dates_refresh_for_region(
    *,
    region_code: str,
    previous_lead: int | None = None,
    notice_dates: bool = True,
    sweep_dates: bool = True,
    today: dt.date | None = None,
) -> RefreshReport:
    """A region's rules changed: its subtree's unsent notice dates (days that carried
    ``previous_lead`` take the lead now in force) and its open cases' and suggestions'
    sweep dates."""
    report = RefreshReport()
    if notice_dates or previous_lead is not None:
        report.notice_dates = reception_notice_dates_refresh(
            region_code=region_code, previous_lead=previous_lead, today=today
        )
    if sweep_dates:
        report.sweep_dates = cases_sweep_dates_refresh(region_code=region_code)
        report.suggestion_sweep_dates = suggestions_sweep_dates_refresh(region_code=region_code)
    return report


def derived_dates_refresh_all(*, today: dt.date | None = None) -> RefreshReport:
    """Every unsent notice date and every open case's and suggestion's sweep date (e.g.
    after a bulk import of holidays that sent no signals). The rules' leads are left as
    they are."""
    return RefreshReport(
        notice_dates=reception_notice_dates_refresh(today=today),
        sweep_dates=cases_sweep_dates_refresh(),
        suggestion_sweep_dates=suggestions_sweep_dates_refresh(),
    )
