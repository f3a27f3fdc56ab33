"""The pickers' searches: what a person may choose, by name, within their scope.

Each returns at most ``LIMIT`` rows as ``{"value", "label", "group"}``; the endpoints
(views_pickers.py) answer them as JSON to static/js/picker.js. The names of what is
already chosen come back with the page (liaison/base/pickers.py, ``names_of``).
"""

from liaison.base.regions import RegionLevel
from liaison.base.scopes import regions_visible_to
from stations.scopes import representatives_visible_to, stations_visible_to
from suggestions.cases.scopes import cases_visible_to
from suggestions.cases.staff.forms import units_for
from suggestions.models import HandlingUnit
from suggestions.proposals.selectors import co_signer_choices
from suggestions.shared.scopes import units_visible_to

LIMIT = 20
PICKABLE_LEVELS = [RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP]


def _rows(rows) -> list[dict]:
    return [{"value": str(v), "label": label, "group": group or ""} for v, label, group in rows]


def pick_stations(*, user, query: str, params=None) -> list[dict]:
    stations = stations_visible_to(user).filter(active=True, name__icontains=query)
    return _rows(
        stations.order_by("region__name", "name").values_list("pk", "name", "region__name")[:LIMIT]
    )


def pick_units(*, user, query: str, params=None) -> list[dict]:
    """Units grouped by the region whose government or congress they belong to; for a
    case (``case=<id>``, one the user may see) the units it may be sent to."""
    case_id = (params or {}).get("case", "")
    if case_id.isdigit():
        case = cases_visible_to(user).filter(pk=case_id).first()
        units = units_for(case) if case is not None else HandlingUnit.objects.none()
    else:
        units = units_visible_to(user).filter(active=True)
    units = units.filter(name__icontains=query)
    return _rows(
        units.order_by("region_id", "name").values_list("pk", "name", "region__name")[:LIMIT]
    )


def pick_regions(*, user, query: str, params=None) -> list[dict]:
    """Counties and townships by name, each under its parent ("长沙县 › 星沙街道")."""
    regions = regions_visible_to(user).filter(level__in=PICKABLE_LEVELS, name__icontains=query)
    rows = regions.order_by("code").values_list("code", "name", "parent__name")[:LIMIT]
    return _rows(rows)


def pick_representatives(*, user, query: str, params=None) -> list[dict]:
    """Representatives in scope; with ``lead=<id>``, who may co-sign with that one."""
    lead_id = (params or {}).get("lead", "")
    if lead_id.isdigit():
        lead = representatives_visible_to(user).filter(pk=lead_id).first()
        found = co_signer_choices(user=user, lead=lead)
    else:
        found = representatives_visible_to(user)
    found = found.filter(name__icontains=query)
    return _rows(found.order_by("name", "pk").values_list("pk", "name", "region__name")[:LIMIT])
