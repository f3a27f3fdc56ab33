"""Annual pre-arrangement (年度预安排): a year of reception days and who is on duty.

``reception_plan_generate`` creates the missing monthly days of a station or a
whole region and fills every planned day that has nobody on duty yet:

1. coverage: each day gets one official (职务代表) and one grassroots
   representative (基层代表) where the station has both (辰溪 "双代表"), or at
   least one representative where it has only one kind;
2. targets: each representative is then added to days until the yearly target
   of their level is met (湘潭: city/county/township about 3, national and
   provincial about 2; settings per jurisdiction), choosing days far from their
   other days and with few people on duty, so duty spreads evenly.

Only representatives seated in the station on the day are used, and nobody is
put in two places on one day (their duties in other stations count). Existing
days and duties are never changed, so running it again only fills gaps.
"""

import calendar as pycalendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from liaison.base import regions
from liaison.base.calendar import WorkdayCalendar
from liaison.base.models import JurisdictionSettings
from representatives.models import Representative, RepresentativeKind, Unavailability
from stations.models import (
    DutyAssignment,
    ReceptionDay,
    ReceptionStatus,
    Station,
    StationMembership,
)

FAR = 10_000


@dataclass(frozen=True)
class Shortfall:
    representative: Representative
    station: Station
    days: int
    target: int


@dataclass(frozen=True)
class Unplaced:
    """A day left without its official and grassroots pair (or anyone at all) because
    the representatives who could serve had marked it unavailable."""

    station: Station
    date: dt.date
    unavailable: tuple[str, ...]  # names of those seated who marked the day


@dataclass
class PlanReport:
    days_created: int = 0
    duties_created: int = 0
    below_target: list[Shortfall] = field(default_factory=list)
    # What availability kept the planner from placing.
    unplaced: list[Unplaced] = field(default_factory=list)


class SettingsResolver:
    """Jurisdiction settings for many regions from one query (the table is small)."""

    def __init__(self):
        self._rows = {row.region_id: row for row in JurisdictionSettings.objects.all()}
        self._default = JurisdictionSettings()

    def __call__(self, region_code: str) -> JurisdictionSettings:
        if not self._rows:
            return self._default
        for code in reversed(regions.ancestor_codes(region_code)):
            if code in self._rows:
                return self._rows[code]
        return self._default


def nominal_date(year: int, month: int, rules: JurisdictionSettings) -> dt.date:
    """The jurisdiction's day of the month (its last day in a shorter month)."""
    last = pycalendar.monthrange(year, month)[1]
    return dt.date(year, month, min(rules.reception_day_of_month, last))


def monthly_date(
    year: int, month: int, rules: JurisdictionSettings, calendar: WorkdayCalendar
) -> dt.date:
    """The reception date of a month: the fixed day, moved to the next working day unless
    the rules keep it (so it may fall in the next month, or the next year)."""
    day = nominal_date(year, month, rules)
    if not rules.keep_non_working_reception_day:
        day = calendar.next_workday(day)
    return day


def monthly_dates(
    year: int, rules: JurisdictionSettings, calendar: WorkdayCalendar
) -> list[dt.date]:
    """The year's reception dates (a date pushed into the next year, or onto the next
    month's date, is left out)."""
    dates = []
    for month in range(1, 13):
        day = monthly_date(year, month, rules, calendar)
        if day.year == year and day not in dates:
            dates.append(day)
    return dates


def _seats(stations: list[Station], year: int):
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return (
        StationMembership.objects.filter(station__in=stations, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .select_related("representative", "station")
        .order_by("station_id", "representative_id", "start_date")
    )


def _year_duties(rep_ids, year: int):
    return DutyAssignment.objects.filter(representative_id__in=rep_ids, date__year=year).exclude(
        reception_day__status=ReceptionStatus.CANCELLED
    )


@transaction.atomic
def reception_plan_generate(*, year: int, stations: QuerySet[Station]) -> PlanReport:
    stations = list(stations.filter(active=True).order_by("pk").select_for_update(of=("self",)))
    rules_for = SettingsResolver()
    calendar = WorkdayCalendar(dt.date(year, 7, 1))
    report = PlanReport()

    existing = defaultdict(set)
    for station_id, date in ReceptionDay.objects.filter(
        station__in=stations, date__year=year
    ).values_list("station_id", "date"):
        existing[station_id].add(date)
    rules = {station.pk: rules_for(station.region_id) for station in stations}
    dates = {id(r): monthly_dates(year, r, calendar) for r in rules.values()}
    new_days = [
        ReceptionDay(
            station=station,
            date=date,
            place=station.address,
            notice_lead_workdays=rules[station.pk].notice_lead_workdays,
        )
        for station in stations
        for date in dates[id(rules[station.pk])]
        if date not in existing[station.pk]
    ]
    ReceptionDay.objects.bulk_create(new_days, batch_size=500)
    report.days_created = len(new_days)

    empty = defaultdict(list)
    for day in (
        ReceptionDay.objects.filter(
            station__in=stations,
            date__year=year,
            status=ReceptionStatus.PLANNED,
            duties__isnull=True,
        )
        .order_by("date")
        .only("id", "station_id", "date")
    ):
        empty[day.station_id].append(day)

    seats = defaultdict(list)
    for seat in _seats(stations, year):
        seats[seat.station_id].append(seat)
    rep_ids = {seat.representative_id for rows in seats.values() for seat in rows}
    busy, done = set(), defaultdict(int)
    for rep_id, date in _year_duties(rep_ids, year).values_list("representative_id", "date"):
        busy.add((rep_id, date))
        done[rep_id] += 1
    away = _unavailable(rep_ids, year)

    duties = []
    for station in stations:
        placed = _assign(empty[station.pk], seats[station.pk], rules[station.pk], busy, done, away)
        duties += placed
        report.unplaced += _unplaced(station, empty[station.pk], seats[station.pk], placed, away)
    DutyAssignment.objects.bulk_create(duties, batch_size=1000)
    report.duties_created = len(duties)
    report.below_target = representatives_below_target(year=year, stations=stations)
    return report


def _unavailable(rep_ids, year: int) -> dict[int, list[tuple[dt.date, dt.date]]]:
    """Each representative's periods marked unavailable that touch the year."""
    away = defaultdict(list)
    for rep_id, start, end in Unavailability.objects.filter(
        representative_id__in=rep_ids,
        start_date__lte=dt.date(year, 12, 31),
        end_date__gte=dt.date(year, 1, 1),
    ).values_list("representative_id", "start_date", "end_date"):
        away[rep_id].append((start, end))
    return away


def _is_away(away, rep_id: int, date: dt.date) -> bool:
    return any(start <= date <= end for start, end in away.get(rep_id, ()))


def _unplaced(station, days, seats, placed, away) -> list[Unplaced]:
    """Days where someone seated was unavailable and the day stayed without a pair."""
    on_day = defaultdict(set)
    for duty in placed:
        on_day[duty.reception_day.pk].add(duty.kind)
    reps = {seat.representative_id: seat.representative for seat in seats}
    both = {r.kind for r in reps.values()} >= {
        RepresentativeKind.OFFICIAL,
        RepresentativeKind.GRASSROOTS,
    }
    out = []
    for day in days:
        missing = not on_day[day.pk] or (both and len(on_day[day.pk]) < 2)
        marked = tuple(
            sorted(rep.name for rep_id, rep in reps.items() if _is_away(away, rep_id, day.date))
        )
        if missing and marked:
            out.append(Unplaced(station, day.date, marked))
    return out


def _assign(days, seats, rules, busy, done, away=None) -> list[DutyAssignment]:
    if not days or not seats:
        return []
    reps = {seat.representative_id: seat.representative for seat in seats}

    periods = defaultdict(list)
    for seat in seats:
        periods[seat.representative_id].append((seat.start_date, seat.end_date or dt.date.max))

    def seated(rep_id, date):
        return any(start <= date <= end for start, end in periods[rep_id])

    target = {rep_id: rules.duty_days_for(rep.level) for rep_id, rep in reps.items()}
    on_day = defaultdict(list)  # day id -> rep ids
    mine = defaultdict(list)  # rep id -> dates here
    out = []

    def free(rep_id, day):
        return (
            (rep_id, day.date) not in busy
            and seated(rep_id, day.date)
            and not _is_away(away or {}, rep_id, day.date)
        )

    def gap(rep_id, day):
        return min((abs((day.date - d).days) for d in mine[rep_id]), default=FAR)

    def put(rep_id, day):
        busy.add((rep_id, day.date))
        done[rep_id] += 1
        on_day[day.pk].append(rep_id)
        mine[rep_id].append(day.date)
        out.append(
            DutyAssignment(
                reception_day=day,
                representative_id=rep_id,
                date=day.date,
                kind=reps[rep_id].kind,
            )
        )

    kinds = [
        [r for r in reps if reps[r].kind == RepresentativeKind.OFFICIAL],
        [r for r in reps if reps[r].kind == RepresentativeKind.GRASSROOTS],
    ]
    groups = kinds if all(kinds) else [list(reps)]
    for day in days:
        for group in groups:
            candidates = [r for r in group if free(r, day)]
            if candidates:
                put(
                    min(
                        candidates,
                        key=lambda r: (done[r] >= target[r], done[r], -gap(r, day), r),
                    ),
                    day,
                )

    spacing_for = {r: max(1, 365 // max(target[r], 1)) for r in reps}
    order = sorted(reps, key=lambda r: (sum(free(r, d) for d in days), -target[r], r))
    for rep_id in order:
        while done[rep_id] < target[rep_id]:
            candidates = [d for d in days if free(rep_id, d)]
            if not candidates:
                break
            spacing = spacing_for[rep_id]
            put(
                rep_id,
                min(
                    candidates,
                    key=lambda d: (-min(gap(rep_id, d), spacing), len(on_day[d.pk]), d.date),
                ),
            )
    return out


def representatives_below_target(*, year: int, stations) -> list[Shortfall]:
    """Representatives seated in ``stations`` during ``year`` with fewer duty days
    (in any station, cancelled days not counted) than their level's yearly target."""
    rules_for = SettingsResolver()
    first_seat = {}
    for seat in _seats(list(stations), year):
        first_seat.setdefault(seat.representative_id, seat)
    counts = dict(
        _year_duties(first_seat, year)
        .values("representative_id")
        .annotate(days=Count("id"))
        .values_list("representative_id", "days")
    )
    shortfalls = []
    for rep_id, seat in first_seat.items():
        target = rules_for(seat.station.region_id).duty_days_for(seat.representative.level)
        if counts.get(rep_id, 0) < target:
            shortfalls.append(
                Shortfall(seat.representative, seat.station, counts.get(rep_id, 0), target)
            )
    return sorted(shortfalls, key=lambda s: (s.station.pk, s.representative.name))
