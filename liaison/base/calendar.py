"""Chinese working days: statutory holidays and make-up working days (调休).

The source of truth, in order: the administrators' ``WorkdayAdjustment`` rows,
then the ``chinese-calendar`` package, then plain Monday–Friday for a year the
package does not cover (it raises for those). The last case is legitimate but
approximate, so ``year_source`` lets the admin warn about it.

The provisional layer (``WorkdayCalendar(..., provisional=True)``): for a year that
neither the package nor the table covers (no ``WorkdayAdjustment`` row in that year: the
official arrangement is not entered yet), the statutory holidays computed by rule — the
``holidays`` package's China calendar, lunar dates and the days owed for holidays that
fall on a weekend included, make-up working days not (the State Council sets those) —
count as days off, marked provisional. The deadlines use it (``PROVISIONAL_HOLIDAYS``,
suggestions/shared/deadlines.py) and are counted again when the official days are
entered (liaison/wiring/recompute.py). Every calendar follows the setting unless told
otherwise, so that the sweeps' dates and the deadlines skip the same days; with
``PROVISIONAL_HOLIDAYS=False`` the calendar answers on the official days only.
"""

import datetime as dt
import functools
from dataclasses import dataclass, field

import chinese_calendar
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from liaison.base.models import WorkdayAdjustment

# Wide enough for any deadline the product computes (six months plus long holidays).
_WINDOW = dt.timedelta(days=400)


class YearSource:
    PACKAGE = "package"
    TABLE = "table"
    PROVISIONAL = "provisional"  # statutory holidays by rule (only with provisional=True)
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
    # Years counted on the statutory holidays by rule, before the official arrangement.
    provisional_years: list[int] = field(default_factory=list)

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

    def __init__(self, around: dt.date, *, provisional: bool | None = None):
        # Whole years, so that a year with any official row is known as entered.
        low = dt.date((around - _WINDOW).year, 1, 1)
        high = dt.date((around + _WINDOW).year, 12, 31)
        self._adjustments = {
            row.date: (row.is_workday, row.name)
            for row in WorkdayAdjustment.objects.filter(date__range=(low, high))
        }
        self._entered_years = {day.year for day in self._adjustments}
        self._low, self._high = low, high
        # One calendar for every count: a deadline and the sweeps' dates around it (the
        # due-soon reminder, the escalation levels) must skip the same days off.
        self.provisional = settings.PROVISIONAL_HOLIDAYS if provisional is None else provisional
        self._by_rule: dict[int, dict[dt.date, str]] = {}

    def source(self, year: int) -> str:
        """Where this year's days off come from, as this calendar counts them."""
        if _package_covers(year):
            return YearSource.PACKAGE
        if year in self._entered_years:
            return YearSource.TABLE
        return YearSource.PROVISIONAL if self.provisional else YearSource.WEEKDAYS

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
            provisional = self.source(day.year) == YearSource.PROVISIONAL
            if provisional and (name := self._statutory(day.year).get(day)):
                return name
            if day.weekday() < 5:
                return None
        return str(_("weekend"))

    def _statutory(self, year: int) -> dict[dt.date, str]:
        if year not in self._by_rule:
            self._by_rule[year] = statutory_holidays(year)
        return self._by_rule[year]

    def is_workday(self, day: dt.date) -> bool:
        return self.day_off_reason(day) is None

    def shift(self, start: dt.date, workdays: int) -> Deadline:
        """The date ``workdays`` working days after ``start`` (before, if negative).

        ``start`` itself is never counted: 5 working days before Thursday
        2026-10-15 is Friday 2026-10-09, because the make-up Saturday 10-10 counts.
        """
        step = 1 if workdays >= 0 else -1
        remaining, day, skipped = abs(workdays), start, []
        weekday_years, provisional_years = set(), set()
        while remaining:
            day += dt.timedelta(days=step)
            source = self.source(day.year)
            if source == YearSource.PROVISIONAL:
                provisional_years.add(day.year)
            elif source != YearSource.PACKAGE and day not in self._adjustments:
                weekday_years.add(day.year)
            reason = self.day_off_reason(day)
            if reason is None:
                remaining -= 1
            else:
                skipped.append((day, reason))
        return Deadline(
            start, workdays, day, skipped, sorted(weekday_years), sorted(provisional_years)
        )

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


def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The statutory days off of ``year`` by rule (the ``holidays`` package: the 2025 rules
    of 全国年节及纪念日放假办法, lunar dates, a day owed for a holiday on a weekend), each
    named as the product names holidays, marked provisional."""
    import holidays  # imported when a year past the official tables is counted

    days = {}
    for day, name in holidays.China(years=year, language="en_US").items():
        base = name.removesuffix(" (observed)")
        label = _HOLIDAY_NAMES.get(_RULE_NAMES.get(base, base), base)
        days[day] = str(_("%(holiday)s (provisional)") % {"holiday": label})
    return days


# The holidays package's English names → chinese-calendar's, whose translations we keep.
_RULE_NAMES = {
    "Chinese New Year's Eve": "Spring Festival",
    "Chinese New Year (Spring Festival)": "Spring Festival",
    "Tomb-Sweeping Day": "Tomb-sweeping Day",
    "Labor Day": "Labour Day",
    "Mid-Autumn Festival": "Mid-autumn Festival",
}

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
