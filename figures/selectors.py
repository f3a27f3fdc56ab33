"""The figures of a place and a period, read from the roll-ups in a handful of aggregate
queries whatever the number of cases: totals, the trend by month, a breakdown, the unit
table, and the open cases overdue or under supervision now (indexed, first page only)."""

from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.urls import reverse
from django.utils import timezone

from duty.models import Activity, ActivityKind, ActivityStatus
from figures.definitions import (
    BY_KEY,
    CARDS,
    CASE_COLUMNS,
    COUNTED,
    FIGURES,
    STATION_COLUMNS,
    case_counts,
    now_condition,
)
from figures.models import CaseDay, StationDay
from figures.periods import Period
from figures.scopes import Place
from liaison.base import regions
from liaison.base.models import Region
from stations.models import Station
from suggestions.models import Case, CaseCategory, HandlingUnit


def percent(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal, half up (84.536… → 84.5); None when nothing to count."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def with_rates(row: dict) -> dict:
    for figure in FIGURES:
        if figure.rate_of and all(key in row for key in figure.rate_of):
            part, whole = figure.rate_of
            row[figure.key] = percent(row[part] or 0, row[whole] or 0)
    return row


def sums(columns) -> dict:
    return {key: Coalesce(Sum(key), 0) for key in columns}


def case_rows(place: Place, period: Period) -> QuerySet:
    rows = CaseDay.objects.filter(day__gte=period.start, day__lte=period.end)
    if place.station:
        rows = rows.filter(station_id=place.station.pk)
    elif place.unit:
        rows = rows.filter(unit_id=place.unit.pk)
    elif place.region:
        rows = rows.filter(regions.within("region_id", place.bounds))
    if place.category:
        rows = rows.filter(category_id=place.category.pk)
    return rows.order_by()


def has_station_figures(place: Place) -> bool:
    """Visits and reception days belong to stations: not to a unit or a category."""
    return place.unit is None and place.category is None


def station_rows(place: Place, period: Period) -> QuerySet:
    rows = StationDay.objects.filter(day__gte=period.start, day__lte=period.end)
    if place.station:
        rows = rows.filter(station_id=place.station.pk)
    elif place.region:
        rows = rows.filter(regions.within("region_id", place.bounds))
    return rows.order_by()


def open_cases(place: Place) -> QuerySet:
    """Open cases of the place (any date received): the partial indexes on open cases."""
    cases = Case.objects.open().filter(COUNTED)
    if place.station:
        cases = cases.filter(station_id=place.station.pk)
    elif place.unit:
        cases = cases.filter(lead_unit_id=place.unit.pk)
    elif place.region:
        cases = cases.filter(regions.within("region_id", place.bounds))
    if place.category:
        cases = cases.filter(category_id=place.category.pk)
    return cases


def totals(place: Place, period: Period) -> dict:
    """Every figure of the place and period (None where it does not apply)."""
    row = case_rows(place, period).aggregate(**sums(CASE_COLUMNS))
    if has_station_figures(place):
        row.update(station_rows(place, period).aggregate(**sums(STATION_COLUMNS)))
        row["talks"] = talks(place, period)
    else:
        row.update(dict.fromkeys([*STATION_COLUMNS, "talks"]))
    # Columns of the partial index of open cases (region, step, deadline), not the id, so
    # that it answers alone, in an index-only scan (an overdue case has a deadline).
    row.update(
        open_cases(place).aggregate(
            overdue=Count("deadline", filter=now_condition("overdue")),
            escalated=Count("step", filter=now_condition("escalated")),
        )
    )
    return with_rates(row)


def talks(place: Place, period: Period) -> int:
    """Confirmed 宣讲 activities of the place in the period (duty/ records them)."""
    activities = Activity.objects.filter(
        kind=ActivityKind.TALK,
        status=ActivityStatus.CONFIRMED,
        date__gte=period.start,
        date__lte=period.end,
    )
    if place.station:
        activities = activities.filter(station_id=place.station.pk)
    elif place.region:
        activities = activities.filter(regions.within("region_id", place.bounds))
    return activities.count()


def live_totals(cases: QuerySet) -> dict:
    """The case figures counted straight from cases (a representative's few cases, and
    the tests' check that the roll-ups count the same)."""
    return with_rates(cases.filter(COUNTED).aggregate(**case_counts()))


# DRILL-DOWN: the list behind each number.


def drill_url(key: str, place: Place, period: Period) -> str | None:
    figure = BY_KEY[key]
    if figure.source in ("cases", "rate", "now"):
        params = {**place.case_params(), "merged": "false", **figure.drill}
        if figure.source != "now":
            params.update(period.params())
        return f"{reverse('staff:case-list')}?{urlencode(params, doseq=True)}"
    if figure.source == "stations" and key in ("visits", "people"):
        params = {
            "visited_after": f"{period.start:%Y-%m-%d} 00:00",
            "visited_before": f"{period.end + timezone.timedelta(days=1):%Y-%m-%d} 00:00",
        }
        if place.station:
            params["station"] = place.station.pk
        elif place.region:
            params["region"] = place.region.code
        return f"{reverse('staff:visit-list')}?{urlencode(params)}"
    return None


def figure_cards(keys, values: dict, url_of) -> list[dict]:
    """A dashboard's cards: each figure with its label, explanation and drill-down link
    (``url_of(key)``; none for a figure without a value)."""
    return [
        {
            "key": key,
            "label": BY_KEY[key].label,
            "help": BY_KEY[key].help,
            "value": values.get(key),
            "percent": BY_KEY[key].percent,
            "url": url_of(key) if values.get(key) is not None else None,
        }
        for key in keys
    ]


def cards(place: Place, period: Period, values: dict) -> list[dict]:
    return figure_cards(CARDS, values, lambda key: drill_url(key, place, period))


# TREND AND BREAKDOWNS

TREND_CASES = [
    "collected",
    "assigned",
    "completed",
    "solved",
    "timed",
    "on_time",
    "rated",
    "satisfied",
]


def trend(place: Place, period: Period) -> list[dict]:
    """Month by month: people received, cases collected, completed, solved, the rates."""
    months = {month: {"month": month} for month in period.months()}
    by_month = (
        case_rows(place, period)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(**sums(TREND_CASES))
    )
    for row in by_month:
        months.setdefault(row["month"], {"month": row["month"]}).update(row)
    if has_station_figures(place):
        people = (
            station_rows(place, period)
            .annotate(month=TruncMonth("day"))
            .values("month")
            .annotate(people=Coalesce(Sum("people"), 0))
        )
        for row in people:
            months.setdefault(row["month"], {"month": row["month"]}).update(row)
    result = []
    for month in sorted(months):
        row = dict.fromkeys([*TREND_CASES, "people"], 0) | months[month]
        row["month"] = month.strftime("%Y-%m") if hasattr(month, "strftime") else str(month)
        result.append(with_rates(row))
    return result


BREAKDOWN_COLUMNS = [
    "collected",
    "assigned",
    "completed",
    "solved",
    "cannot",
    "timed",
    "on_time",
    "rated",
    "satisfied",
    "rehandled",
]


def breakdown(place: Place, period: Period, by: str) -> list[dict]:
    """The case figures by child region, station, lead unit or category; each row with
    the place that chooses it and its name."""
    rows = case_rows(place, period)
    if by == "region":
        level = place.child_level
        if level is None:
            return []
        length = regions.PREFIX_LENGTH[level]
        rows = rows.annotate(key=Substr("region_id", 1, length))
    else:
        rows = rows.annotate(
            key=F({"station": "station_id", "unit": "unit_id", "category": "category_id"}[by])
        )
    grouped = list(rows.values("key").annotate(**sums(BREAKDOWN_COLUMNS)).order_by("key"))
    names = _names(by, [row["key"] for row in grouped], place)
    result = []
    for row in grouped:
        key = row["key"]
        if by == "region":
            key = str(key).ljust(12, "0")
        row.update(key=key, name=names.get(key, "—"), params=_child_params(by, key, place))
        result.append(with_rates(row))
    result.sort(key=lambda row: (-row["collected"], row["name"]))
    return result


def _names(by: str, keys: list, place: Place) -> dict:
    keys = [key for key in keys if key is not None]
    if by == "region":
        codes = [str(key).ljust(12, "0") for key in keys]
        return dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    model = {"station": Station, "unit": HandlingUnit, "category": CaseCategory}[by]
    return dict(model.objects.filter(pk__in=keys).values_list("pk", "name"))


def _child_params(by: str, key, place: Place) -> dict | None:
    if key is None:
        return None
    if by == "region":
        return {"region": key}
    if by == "station":
        return {"station": key}
    if by == "unit":
        return {"unit": key}
    return {**place.params(), "category": key}


def open_list(place: Place, key: str, limit: int = 10) -> list[Case]:
    """The first open cases overdue (oldest deadline first) or under supervision now."""
    return first_open(open_cases(place), key, limit)


def first_open(cases: QuerySet, key: str, limit: int = 10) -> list[Case]:
    """The first of these open cases overdue or under supervision, for the lists."""
    cases = cases.filter(now_condition(key))
    return list(
        cases.select_related("station", "lead_unit", "category")
        .only(
            "pk",
            "tracking_code",
            "title",
            "deadline",
            "step",
            "escalation_level",
            "received_at",
            "station__name",
            "lead_unit__name",
            "category__name",
        )
        .order_by("deadline", "pk")[:limit]
    )


def representatives_entered(place: Place, period: Period) -> int:
    return station_rows(place, period).aggregate(n=Coalesce(Sum("entered"), 0))["n"]


def count_rows(place: Place, period: Period) -> int:
    """How many cases the place received in the period (an export's size, from roll-ups)."""
    return case_rows(place, period).aggregate(n=Coalesce(Sum("collected"), 0))["n"]
