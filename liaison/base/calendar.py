"""Chinese working days: statutory holidays and make-up working days (调休).

The source of truth, in order: the administrators' ``WorkdayAdjustment`` rows,
then the ``chinese-calendar`` package, then plain Monday–Friday for a year the
package does not cover (it raises for those). The last case is legitimate but
approximate, so ``year_source`` lets the admin warn about it.
"""

import datetime as dt
import functools
from dataclasses import dataclass, field

import chinese_calendar
from django.utils.translation import gettext_lazy as _

from liaison.base.models import WorkdayAdjustment

# Wide enough for any deadline the product computes (six months plus long holidays).
_WINDOW = dt.timedelta(days=400)


class YearSource:
    PACKAGE = "package"
    TABLE = "table"
    WEEKDAYS = "weekdays"


def _package_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def year_source(year: int) -> str:
    if _package_covers(year):
        return YearSource.PACKAGE
    if WorkdayAdjustment.objects.filter(date__year=year).exists():
        return YearSource.TABLE
    return YearSource.WEEKDAYS


def uncovered_years(years: list[int]) -> list[int]:
    """Years counted Monday–Friday only: administrators should enter their holidays."""
    return [year for year in years if year_source(year) == YearSource.WEEKDAYS]


@dataclass
class Deadline:
    """A computed date and how it was computed, shown to staff on each case."""

    start: dt.date
    workdays: int
    date: dt.date
    skipped: list[tuple[dt.date, str]] = field(default_factory=list)
    weekday_only_years: list[int] = field(default_factory=list)

    def explain(self) -> str:
        direction = _("after") if self.date >= self.start else _("before")
        return _("%(n)s working days %(direction)s %(start)s: %(date)s") % {
            "n": self.workdays,
            "direction": direction,
            "start": self.start.isoformat(),
            "date": self.date.isoformat(),
        }


class WorkdayCalendar:
    """Answers working-day questions around a date with one database query."""

    def __init__(self, around: dt.date):
        low, high = around - _WINDOW, around + _WINDOW
        self._adjustments = {
            row.date: (row.is_workday, row.name)
            for row in WorkdayAdjustment.objects.filter(date__range=(low, high))
        }
        self._low, self._high = low, high

    def day_off_reason(self, day: dt.date) -> str | None:
        """None on a working day; otherwise why the day is off."""
        if day in self._adjustments:
            is_workday, name = self._adjustments[day]
            return None if is_workday else name
        try:
            if chinese_calendar.is_workday(day):
                return None
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            if on_holiday and name:
                return str(_HOLIDAY_NAMES.get(name, name))
        except NotImplementedError:
            if day.weekday() < 5:
                return None
        return str(_("weekend"))

    def is_workday(self, day: dt.date) -> bool:
        return self.day_off_reason(day) is None

    def shift(self, start: dt.date, workdays: int) -> Deadline:
        """The date ``workdays`` working days after ``start`` (before, if negative).

        ``start`` itself is never counted: 5 working days before Thursday
        2026-10-15 is Friday 2026-10-09, because the make-up Saturday 10-10 counts.
        """
        step = 1 if workdays >= 0 else -1
        remaining, day, skipped = abs(workdays), start, []
        weekday_years = set()
        while remaining:
            day += dt.timedelta(days=step)
            if not _package_covers(day.year) and day not in self._adjustments:
                weekday_years.add(day.year)
            reason = self.day_off_reason(day)
            if reason is None:
                remaining -= 1
            else:
                skipped.append((day, reason))
        return Deadline(start, workdays, day, skipped, sorted(weekday_years))

    def workdays_between(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The working days from ``start`` to ``end`` (inclusive), on the same rules as
        ``is_workday`` (the package's year read once per process: it never changes)."""
        days = (start + dt.timedelta(days=n) for n in range((end - start).days + 1))
        return [day for day in days if self._is_workday_fast(day)]

    def _is_workday_fast(self, day: dt.date) -> bool:
        if day in self._adjustments:
            return self._adjustments[day][0]
        package = _package_workdays(day.year)
        if package is None:
            return day.weekday() < 5
        return day in package

    def next_workday(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the next one."""
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return day


@functools.lru_cache(maxsize=16)
def _package_workdays(year: int) -> frozenset[dt.date] | None:
    """The chinese-calendar package's working days of a year; None past its tables."""
    if not _package_covers(year):
        return None
    first = dt.date(year, 1, 1)
    days = (first + dt.timedelta(days=n) for n in range(366))
    return frozenset(d for d in days if d.year == year and chinese_calendar.is_workday(d))


def add_workdays(start: dt.date, workdays: int) -> Deadline:
    return WorkdayCalendar(start).shift(start, workdays)


def is_workday(day: dt.date) -> bool:
    return WorkdayCalendar(day).is_workday(day)


_HOLIDAY_NAMES = {
    "New Year's Day": _("New Year's Day"),
    "Spring Festival": _("Spring Festival"),
    "Tomb-sweeping Day": _("Tomb-sweeping Day"),
    "Labour Day": _("Labour Day"),
    "Dragon Boat Festival": _("Dragon Boat Festival"),
    "National Day": _("National Day"),
    "Mid-autumn Festival": _("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": _("Anti-Fascist 70th Day"),
}
