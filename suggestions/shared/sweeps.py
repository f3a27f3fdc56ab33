"""What the daily sweeps of both flows share: the stored date, the ladder, the claim.

A case and a suggestion each carry ``next_sweep_on``, the date the sweeps next have
something to do for it. The services set it whenever they set the deadline, and each
sweep moves it on after acting, so every sweep is one range scan of a partial index
(``next_sweep_on <= today``): it reads only the rows due today or missed while the
scheduler was down, never every open row.

The ladder, for a deadline D counted on the working-day calendar with the rules of the
row's jurisdiction (``JurisdictionSettings``):

- due soon: ``due_soon_workdays`` working days before D (no reminder when 0);
- level 1: the first working day after D (``overdue_from``);
- level n: ``escalation_interval_workdays`` working days after level n-1;
- up to ``escalation_levels``, the same setting for cases and suggestions.

Each happens once per deadline: a new deadline starts over at level 0. A row past several
dates when the sweep finally runs gets every level it is owed, in order, in one go.

"Overdue" itself (open, deadline before today) is ``is_overdue()`` and ``overdue()`` in
``suggestions/shared/models.py``; the sweeps' claims filter with it. The ladder says on
which day a sweep *acts* on an overdue row.
"""

import datetime as dt
from collections.abc import Callable

from liaison.base.calendar import WorkdayCalendar
from liaison.base.models import JurisdictionSettings


def overdue_from(deadline: dt.date, calendar: WorkdayCalendar) -> dt.date:
    """The first working day after the deadline: level 1 of the ladder."""
    return calendar.next_workday(deadline + dt.timedelta(days=1))


class Ladder:
    """The ladder's dates on one calendar, each deadline's counted once (rows share
    deadlines and rules: a batch of 500 counts a few dozen)."""

    def __init__(self, calendar: WorkdayCalendar):
        self.calendar = calendar
        self._levels: dict[tuple, tuple[dt.date, ...]] = {}

    def due_soon_on(self, deadline: dt.date, rules: JurisdictionSettings) -> dt.date | None:
        if not rules.due_soon_workdays:
            return None
        return self.calendar.shift(deadline, -rules.due_soon_workdays).date

    def levels(self, deadline: dt.date, rules: JurisdictionSettings) -> tuple[dt.date, ...]:
        """The day each level 1..``escalation_levels`` is due."""
        key = (deadline, rules.escalation_interval_workdays, rules.escalation_levels)
        if key not in self._levels:
            day = overdue_from(deadline, self.calendar)
            days = [day]
            for _level in range(2, rules.escalation_levels + 1):
                day = self.calendar.shift(day, rules.escalation_interval_workdays).date
                days.append(day)
            self._levels[key] = tuple(days[: rules.escalation_levels])
        return self._levels[key]

    def owed(self, deadline: dt.date, rules: JurisdictionSettings, today: dt.date) -> int:
        """The highest level due by ``today`` (0: not yet)."""
        return sum(1 for day in self.levels(deadline, rules) if day <= today)

    def next_sweep_on(
        self, deadline: dt.date | None, rules: JurisdictionSettings, *, fired: int, reminded: bool
    ) -> dt.date | None:
        """When the sweeps next act, given the level already ``fired`` for this deadline and
        whether the due-soon reminder went out; None: nothing is left to do."""
        if deadline is None:
            return None
        if fired == 0 and not reminded:
            soon = self.due_soon_on(deadline, rules)
            if soon is not None:
                return soon
        levels = self.levels(deadline, rules)
        return levels[fired] if fired < len(levels) else None


def ladders_by_year() -> Callable[[dt.date], Ladder]:
    """A ladder for a deadline, one calendar (one query) per deadline year: what the
    recompute of stored dates uses over rows in deadline order."""
    ladders: dict[int, Ladder] = {}

    def ladder(deadline: dt.date) -> Ladder:
        if deadline.year not in ladders:
            ladders[deadline.year] = Ladder(WorkdayCalendar(dt.date(deadline.year, 7, 1)))
        return ladders[deadline.year]

    return ladder


def due_by(queryset, today: dt.date):
    """The rows of ``queryset`` the sweeps have something to do for by ``today``."""
    return queryset.filter(next_sweep_on__lte=today)


def claim(queryset, *, today: dt.date, batch_size: int, related: tuple[str, ...] = ()) -> list:
    """Lock up to ``batch_size`` rows due by ``today`` that no other sweep holds, oldest
    date first: a range scan of the ``next_sweep_on`` partial index. Inside the caller's
    transaction."""
    rows = due_by(queryset, today).select_for_update(skip_locked=True, of=("self",))
    if related:
        rows = rows.select_related(*related)
    return list(rows.order_by("next_sweep_on", "id")[:batch_size])


# A batch claims and acts in one transaction: (rows claimed, rows acted on).
Batch = Callable[[dt.date, int], tuple[int, int]]


def sweep_until_done(batch: Batch, *, today: dt.date, batch_size: int) -> int:
    """Run ``batch`` until it claims nothing; returns how many rows it acted on. Every
    batch moves the ``next_sweep_on`` of what it claimed past today, so this ends."""
    total = 0
    while True:
        claimed, acted = batch(today, batch_size)
        if not claimed:
            return total
        total += acted
