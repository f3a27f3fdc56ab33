"""Figures on suggestions, aggregated in the database (one query per table shown).

- by unit: how many each unit leads, how many replied, on-time reply rate (first
  reply by its deadline over replied), satisfaction rate ((满意 + 基本满意) over
  rated, the rating being the latest round's), how many were re-handled;
- by year and category: the same counts;
- the satisfaction rate of any set, e.g. 浏阳's "970 suggestions, 84.5%".

Merged duplicates are not counted: they are answered as part of another.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet

from suggestions.proposals.models import Rating, SuggestionStep

_SATISFIED = Q(satisfaction__in=[Rating.SATISFIED, Rating.BASIC])
COUNTS = {
    "total": Count("id"),
    "replied": Count("id", filter=Q(first_replied_at__isnull=False)),
    "on_time": Count("id", filter=Q(replied_on_time=True)),
    "rated": Count("id", filter=~Q(satisfaction="")),
    "satisfied": Count("id", filter=_SATISFIED),
    "rehandled": Count("id", filter=Q(rehandle_count__gt=0)),
}


def percent(part: int, whole: int) -> Decimal | None:
    """Percentage with one decimal, half up (84.536… → 84.5); None when nothing to count."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _with_rates(row: dict) -> dict:
    row["on_time_rate"] = percent(row["on_time"], row["replied"])
    row["satisfaction_rate"] = percent(row["satisfied"], row["rated"])
    return row


def _counted(queryset: QuerySet) -> QuerySet:
    return queryset.exclude(step=SuggestionStep.MERGED).order_by()


def by_unit(queryset: QuerySet) -> list[dict]:
    rows = (
        _counted(queryset)
        .filter(lead_unit__isnull=False)
        .values("lead_unit", "lead_unit__name")
        .annotate(**COUNTS)
        .order_by("lead_unit__name", "lead_unit")
    )
    return [
        _with_rates({"unit": row.pop("lead_unit"), "unit_name": row.pop("lead_unit__name"), **row})
        for row in rows
    ]


def by_year_and_category(queryset: QuerySet) -> list[dict]:
    rows = (
        _counted(queryset)
        .values("year", "category", "category__name")
        .annotate(**COUNTS)
        .order_by("-year", "category__name")
    )
    return [_with_rates({**row, "category_name": row.pop("category__name")}) for row in rows]


def totals(queryset: QuerySet) -> dict:
    return _with_rates(_counted(queryset).aggregate(**COUNTS))


def satisfaction_rate(queryset: QuerySet) -> Decimal | None:
    return totals(queryset)["satisfaction_rate"]
