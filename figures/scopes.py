"""Whose figures a user may see: the place a dashboard, ledger or bulletin covers.

A committee sees its region and any township or station below it; a liaison their
stations; unit staff their unit (a committee also the units of its region). What is
out of scope is a 404, never someone else's numbers.
"""

from dataclasses import dataclass

from django.http import Http404

from liaison.base import regions
from liaison.base.models import Region
from liaison.base.scopes import scope_of
from stations.models import Station
from stations.scopes import stations_managed_by
from suggestions.models import CaseCategory, HandlingUnit
from suggestions.shared.scopes import units_visible_to


@dataclass(frozen=True)
class Place:
    """A region's subtree (None: everywhere), a station or a unit; optionally one category."""

    kind: str  # "region", "station" or "unit"
    region: Region | None = None
    station: Station | None = None
    unit: HandlingUnit | None = None
    category: CaseCategory | None = None

    @property
    def name(self) -> str:
        thing = self.station or self.unit or self.region
        name = thing.name if thing else "全部"
        return f"{name} · {self.category.name}" if self.category else name

    @property
    def bounds(self) -> tuple[str, str] | None:
        return self.region.bounds if self.region else None

    def params(self) -> dict:
        """The query string that chooses this place (dashboards, ledgers, bulletin)."""
        params = {}
        if self.station:
            params["station"] = self.station.pk
        elif self.unit:
            params["unit"] = self.unit.pk
        elif self.region:
            params["region"] = self.region.code
        if self.category:
            params["category"] = self.category.pk
        return params

    def case_params(self) -> dict:
        """The staff case list's filters for this place's cases (the unit as lead unit)."""
        params = {}
        if self.station:
            params["station"] = self.station.pk
        elif self.unit:
            params["lead_unit"] = self.unit.pk
        elif self.region:
            params["region"] = self.region.code
        if self.category:
            params["category"] = self.category.pk
        return params

    @property
    def child_level(self) -> str | None:
        """The level one step below the region (a county's townships), if any."""
        if self.region is None or self.kind != "region":
            return None
        order = regions.LEVEL_ORDER
        index = order.index(self.region.level)
        return order[index + 1] if index + 1 < len(order) else None


def _id(params, name: str) -> int | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        raise Http404
    return int(value)


def place_for(user, params) -> Place:
    """The place ``params`` asks for, if the user may see it; else their own; else 404."""
    scope = scope_of(user)
    category = None
    if (category_id := _id(params, "category")) is not None:
        category = CaseCategory.objects.filter(pk=category_id).first()
        if category is None:
            raise Http404
    if (station_id := _id(params, "station")) is not None:
        station = stations_managed_by(user).select_related("region").filter(pk=station_id).first()
        if station is None:
            raise Http404
        return Place("station", region=station.region, station=station, category=category)
    if (unit_id := _id(params, "unit")) is not None:
        unit = units_visible_to(user).filter(pk=unit_id).first()
        if unit is None:
            raise Http404
        return Place("unit", unit=unit, category=category)
    code = params.get("region")
    if code:
        if not regions.CODE_RE.match(code) or not scope.covers_region(code):
            raise Http404
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise Http404
        return Place("region", region=region, category=category)
    return _own_place(user, scope, category)


def _own_place(user, scope, category) -> Place:
    if scope.is_admin:
        return Place("region", category=category)
    if scope.region_bounds:
        top = min(low for low, _high in scope.region_bounds)
        return Place("region", region=Region.objects.get(code=top), category=category)
    if scope.station_ids:
        station = Station.objects.select_related("region").get(pk=min(scope.station_ids))
        return Place("station", region=station.region, station=station, category=category)
    if scope.unit_ids:
        unit = HandlingUnit.objects.get(pk=min(scope.unit_ids))
        return Place("unit", unit=unit, category=category)
    raise Http404
