"""Tests never read the wall clock: a test that depends on today's date stops the clock
on a day of its own, in Asia/Shanghai, the product's time zone."""

import datetime as dt
import zoneinfo

import pytest

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

# A plain working day (a Wednesday) for tests that only need "today" to be fixed.
WORKDAY = dt.date(2026, 11, 25)


def moment(day: dt.date, at: dt.time = dt.time(10)) -> dt.datetime:
    return dt.datetime.combine(day, at, SHANGHAI)


def frozen(day: dt.date = WORKDAY, at: dt.time = dt.time(10)) -> pytest.MarkDecorator:
    """Mark a test (or, as ``pytestmark``, a module) to run with the clock stopped at ``at``
    on ``day``; time-machine's fixture starts it before the test's other fixtures."""
    return pytest.mark.time_machine(moment(day, at), tick=False)
