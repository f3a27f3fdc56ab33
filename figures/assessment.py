"""The units' table and their yearly assessment score (年度考核), for cases and for
suggestions: on-time rate, satisfaction rate and completion rate, weighted by
``FIGURES_ASSESSMENT_WEIGHTS`` (per cent points each; a missing rate scores 0)."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from figures import selectors
from figures.periods import Period
from figures.scopes import Place
from liaison.base import regions
from suggestions.models import Suggestion
from suggestions.proposals import reports


def score(row: dict) -> Decimal | None:
    """Σ weight × rate / Σ weights, one decimal; None for a unit with nothing to judge."""
    weights = settings.FIGURES_ASSESSMENT_WEIGHTS
    if not row.get("collected"):
        return None
    total = sum(
        Decimal(weight) * (row.get(f"{name}_rate") or Decimal(0))
        for name, weight in weights.items()
    )
    return (total / sum(Decimal(w) for w in weights.values())).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )


def case_units(place: Place, period: Period) -> list[dict]:
    """Cases by lead unit with the rates and the score (units only; unassigned left out)."""
    rows = [row for row in selectors.breakdown(place, period, "unit") if row["key"] is not None]
    for row in rows:
        row["completion_rate"] = selectors.percent(row["completed"], row["collected"])
        row["score"] = score(row)
    return sorted(rows, key=lambda row: (-(row["score"] or 0), row["name"]))


def suggestions_in(place: Place, period: Period):
    """Suggestions received in the period by the place's congress (or led by the unit)."""
    found = Suggestion.objects.filter(received_on__gte=period.start, received_on__lte=period.end)
    if place.unit:
        return found.filter(lead_unit_id=place.unit.pk)
    if place.station:
        return found.none()
    if place.region:
        return found.filter(regions.within("region_id", place.bounds))
    return found


def suggestion_units(place: Place, period: Period) -> list[dict]:
    rows = reports.by_unit(suggestions_in(place, period))
    for row in rows:
        row["collected"], row["completed"] = row["total"], row["replied"]
        row["completion_rate"] = selectors.percent(row["replied"], row["total"])
        row["score"] = score(row)
    return sorted(rows, key=lambda row: (-(row["score"] or 0), row["unit_name"]))


def suggestion_totals(place: Place, period: Period) -> dict:
    return reports.totals(suggestions_in(place, period))
