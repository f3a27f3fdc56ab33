"""Duty quotas: each a target for a period, green, amber or red.

The targets are jurisdiction settings (``JurisdictionSettings``, defaults from the
documents), resolved for the region of the station a representative sits in (where
their congress asks them to serve, as the reception planner does), else their own:

| quota | period | target | source |
|---|---|---|---|
| station days | year | ``duty_days_<level>`` (2 national/provincial, 3 others) | 湘潭 |
| fixed contacts | year | ``fixed_contacts_<level>`` people, each met ``contact_times_<level>`` times (5×2 city, 10×4 district) | 龙沙区 |
| report to the voters | year | ``duty_reports_per_year`` (1) | 龙沙区 |
| station days | month | ``station_days_per_month`` (浏阳 1; 0 = off) | 浏阳 |
| people reached | month | ``people_reached_per_month`` (浏阳 30; 0 = off) | 浏阳 |

Green: the target is met. Amber: not yet, but on pace — at least the share of the
target that the working days gone by in the period call for (a holiday week moves
nothing). Red: behind that pace, or the period is over and the target not met.
"""

import datetime as dt
import math
from dataclasses import dataclass
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duty.models import ActivityKind
from duty.record import Counts, counts_for
from liaison.base.calendar import WorkdayCalendar
from liaison.base.jurisdiction import settings_for_many
from stations.models import StationMembership

GREEN, AMBER, RED = "green", "amber", "red"
STATUS_LABELS = {GREEN: _("Met"), AMBER: _("On track"), RED: _("Behind")}

LABELS = {
    "station_days": _("Station days this year"),
    "fixed_contacts": _("Fixed contacts met often enough"),
    "report": _("Reports to the voters"),
    "station_days_month": _("Station days this month"),
    "people_month": _("People reached this month"),
}
YEARLY = ("station_days", "fixed_contacts", "report")
MONTHLY = ("station_days_month", "people_month")
# The counts (duty/record.py) the quotas are judged on, and no more.
YEARLY_PARTS = {"station_days", "activities", "fixed_contacts", "contacts", "reports"}
MONTHLY_PARTS = {"station_days", "people", "activities", "contacts"}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    key: str  # "2026" or "2026-11": a reminder's dedupe key

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}")

    @classmethod
    def month(cls, day: dt.date) -> "Period":
        first = day.replace(day=1)
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return cls(first, last, f"{day:%Y-%m}")


class Quota(NamedTuple):
    """A tuple, not a dataclass: a county's table builds six thousand of them."""

    code: str
    count: int
    target: int
    status: str
    period: Period
    # For fixed contacts: the times each is to be met, and how many are listed.
    times: int = 0
    listed: int = 0

    @property
    def label(self) -> str:
        return LABELS[self.code]

    @property
    def note(self) -> str:
        """Said on a representative's page, so computed only there (not 1,300 times)."""
        if self.code != "fixed_contacts":
            return ""
        return _("each met at least %(n)s times; %(listed)s listed") % {
            "n": self.times,
            "listed": self.listed,
        }

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def _workdays(start: dt.date, end: dt.date) -> list[dt.date]:
    return WorkdayCalendar(start + (end - start) / 2).workdays_between(start, end)


def share_elapsed(period: Period, on: dt.date) -> float:
    """The share of the period's working days gone by on ``on`` (inclusive)."""
    if on >= period.end:
        return 1.0
    if on < period.start:
        return 0.0
    workdays = _workdays(period.start, period.end)
    if not workdays:
        return (on - period.start).days / ((period.end - period.start).days + 1)
    return sum(1 for day in workdays if day <= on) / len(workdays)


def status_of(count: int, target: int, share: float) -> str:
    """``share``: of the period's working days gone by (1.0 once it is over)."""
    if count >= target:
        return GREEN
    if share >= 1.0:
        return RED
    return AMBER if count >= math.floor(target * share) else RED


def rules_region(representatives, on: dt.date, *, ids=None) -> dict[int, str]:
    """The region whose rules a representative serves under: their first current
    station's, else their own congress's. ``ids``: the same representatives as a
    subquery, cheaper than a list of a thousand ids."""
    seats = {}
    for rep_id, region in (
        StationMembership.objects.current(on)
        .filter(representative__in=ids if ids is not None else [r.pk for r in representatives])
        .order_by("representative_id", "start_date", "pk")
        .values_list("representative_id", "station__region_id")
    ):
        seats.setdefault(rep_id, region)
    return {r.pk: seats.get(r.pk, r.region_id) for r in representatives}


def quotas_for(representatives, *, on: dt.date | None = None, year: int | None = None, ids=None):
    """Each representative's quotas ({rep id: [Quota]}), in a constant number of queries.

    ``on`` is the day the pace is judged on (today); ``year`` another year to look at
    (judged at its end, its monthly quotas for December). ``ids``: the representatives
    as a subquery (``queryset.values("pk")``), which the counting queries join on instead
    of a list of every id (a county's table passes its 1,300)."""
    today = on or timezone.localdate()
    year = year or today.year
    on = today if year == today.year else dt.date(year, 12, 31)
    representatives = list(representatives)
    if not representatives:
        return {}
    regions = rules_region(representatives, on, ids=ids)
    rules = settings_for_many(regions.values())
    times = {rules[regions[r.pk]].contact_times_for(r.level) for r in representatives}
    year_period, month_period = Period.year(year), Period.month(on)
    ids = ids if ids is not None else [r.pk for r in representatives]
    yearly = counts_for(
        ids, year_period.start, year_period.end, contact_times=times, parts=YEARLY_PARTS
    )
    monthly = {}
    if any(rule.station_days_per_month or rule.people_reached_per_month for rule in rules.values()):
        monthly = counts_for(ids, month_period.start, month_period.end, parts=MONTHLY_PARTS)
    shares = {p: share_elapsed(p, on) for p in (year_period, month_period)}
    result = {}
    for rep in representatives:
        rule = rules[regions[rep.pk]]
        y, m = yearly.get(rep.pk, Counts()), monthly.get(rep.pk, Counts())
        times_needed = rule.contact_times_for(rep.level)
        wanted = [
            ("station_days", y.station_days, rule.duty_days_for(rep.level), year_period),
            (
                "fixed_contacts",
                y.contacted_enough.get(times_needed, 0),
                rule.fixed_contacts_for(rep.level),
                year_period,
            ),
            (
                "report",
                y.reports_published + y.activities.get(ActivityKind.REPORT, 0),
                rule.duty_reports_per_year,
                year_period,
            ),
            ("station_days_month", m.station_days, rule.station_days_per_month, month_period),
            ("people_month", m.people_reached, rule.people_reached_per_month, month_period),
        ]
        result[rep.pk] = [
            Quota(
                code,
                count,
                target,
                status_of(count, target, shares[period]),
                period,
                times=times_needed,
                listed=y.fixed_contacts,
            )
            for code, count, target, period in wanted
            if target
        ]
    return result


def overall(quotas: list[Quota]) -> str:
    """The worst status of a representative's quotas (green with none)."""
    statuses = {q.status for q in quotas}
    return RED if RED in statuses else AMBER if AMBER in statuses else GREEN


def behind(quotas: list[Quota], codes) -> list[Quota]:
    return [q for q in quotas if q.code in codes and q.status != GREEN]


__all__ = ["AMBER", "GREEN", "MONTHLY", "RED", "YEARLY", "Period", "Quota", "quotas_for"]
