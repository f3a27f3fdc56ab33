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
below are connected in ``LiaisonConfig.ready``. Receivers rather than admin hooks
because every writer — the admin, a shell, a fixture, a later service — goes through
``save`` and ``delete``; they only remember the previous values and schedule the task.
``QuerySet.update`` and ``bulk_create`` send no signals: after such a bulk change run
``manage.py refresh_derived_dates``. Every step is idempotent, so the task or the
command may run any number of times.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max
from django.db.models.signals import post_delete, post_save, pre_save

from liaison.base.jurisdiction import settings_for
from liaison.base.models import JurisdictionSettings, WorkdayAdjustment
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


# TRIGGERS


def _adjustment_before(sender, instance: WorkdayAdjustment, **kwargs) -> None:
    previous = WorkdayAdjustment.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._previous_date = previous.date if previous else None


def _adjustment_changed(sender, instance: WorkdayAdjustment, **kwargs) -> None:
    from liaison.wiring.tasks import refresh_dates_around  # the tasks import this module

    days = {instance.date, getattr(instance, "_previous_date", None)} - {None}
    # After commit: the task reads the committed calendar, and a rollback schedules nothing.
    refresh_dates_around.delay_on_commit(days=sorted(day.isoformat() for day in days))


def _rules_before(sender, instance: JurisdictionSettings, **kwargs) -> None:
    # What the region followed before this save: its own row, or its nearest ancestor's.
    if instance.region_id:
        instance._previous_rules = settings_for(instance.region_id)


def _rules_saved(sender, instance: JurisdictionSettings, **kwargs) -> None:
    _rules_changed(instance.region_id, getattr(instance, "_previous_rules", None), instance)


def _rules_deleted(sender, instance: JurisdictionSettings, **kwargs) -> None:
    _rules_changed(instance.region_id, instance, settings_for(instance.region_id))


def _rules_changed(region_code: str, before, after: JurisdictionSettings) -> None:
    from liaison.wiring.tasks import refresh_dates_of_region

    before = before or JurisdictionSettings()
    lead_changed = before.notice_lead_workdays != after.notice_lead_workdays
    sweep_rules = any(getattr(before, rule) != getattr(after, rule) for rule in SWEEP_RULES)
    if lead_changed or sweep_rules:
        refresh_dates_of_region.delay_on_commit(
            region_code=region_code,
            previous_lead=before.notice_lead_workdays if lead_changed else None,
            sweep_dates=sweep_rules,
        )


def connect() -> None:
    uid = "liaison.wiring.recompute"
    pre_save.connect(_adjustment_before, sender=WorkdayAdjustment, dispatch_uid=f"{uid}.a0")
    post_save.connect(_adjustment_changed, sender=WorkdayAdjustment, dispatch_uid=f"{uid}.a1")
    post_delete.connect(_adjustment_changed, sender=WorkdayAdjustment, dispatch_uid=f"{uid}.a2")
    pre_save.connect(_rules_before, sender=JurisdictionSettings, dispatch_uid=f"{uid}.r0")
    post_save.connect(_rules_saved, sender=JurisdictionSettings, dispatch_uid=f"{uid}.r1")
    post_delete.connect(_rules_deleted, sender=JurisdictionSettings, dispatch_uid=f"{uid}.r2")
