"""Where an opinion can go, and where to look: the public place picker of the online
form and of the directory's region filter (stations, representatives, outcomes, home).

Counties with an active station, a region's children with an active station below
them, the active stations in a township or village. Each answer is one region's
children — tens of rows, whatever the size of the province — in a constant number of
queries, and cached for ``PUBLIC_PLACES_CACHE_SECONDS``: regions and stations change
rarely, and a stale entry costs at most a clear message when the form is sent (the
form checks the station itself). Only what the public pages already show: names and
division codes, never a person.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models.functions import Left
from django.utils.translation import gettext_lazy as _

from liaison.base.models import Region
from liaison.base.regions import (
    CODE_RE,
    LEVEL_ORDER,
    PREFIX_LENGTH,
    RegionLevel,
    level_of,
    validate_code,
    within,
)
from stations.models import Station

# A county can hold hundreds of stations: the picker lists them one township at a time.
STATION_LEVELS = (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE)


def _cached(key: str, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PUBLIC_PLACES_CACHE_SECONDS)
    return value


def _with_stations(level: str, bounds: tuple[str, str] | None = None) -> list[str]:
    """Codes of the regions of ``level`` (inside ``bounds``) with an active station below.

    One query over the stations' (region, active) index; DISTINCT over a prefix of the
    code, so the answer has at most one row per region of that level.
    """
    length = PREFIX_LENGTH[RegionLevel(level)]
    stations = Station.objects.active()
    if bounds:
        stations = stations.filter(within("region", bounds))
    prefixes = (
        stations.annotate(prefix=Left("region_id", length))
        .order_by()
        .values_list("prefix", flat=True)
        .distinct()
    )
    return [prefix.ljust(12, "0") for prefix in prefixes]


def counties() -> list[dict]:
    """Counties and districts with an active station, in code order, with their city."""

    def compute():
        codes = _with_stations(RegionLevel.COUNTY)
        rows = (
            Region.objects.filter(code__in=codes, level=RegionLevel.COUNTY)
            .select_related("parent")
            .order_by("code")
        )
        return [
            {"code": r.code, "name": r.name, "city": r.parent.name if r.parent else ""}
            for r in rows
        ]

    return _cached("places:counties", compute)


def _region(code: str) -> Region | None:
    return Region.objects.filter(code=code).only("code", "name", "level").first()


def _head(region: Region) -> dict:
    return {"code": region.code, "name": region.name, "level": region.level}


def children(code: str) -> dict | None:
    """The region with ``code`` and those of its children with an active station below.

    None when no region has the code; ValidationError when it is not a division code.
    Unknown codes are not cached, so made-up codes cannot fill the cache.
    """
    validate_code(code)
    key = f"places:children:{code}"
    found = cache.get(key)
    if found is not None:
        return found
    region = _region(code)
    if region is None:
        return None
    index = LEVEL_ORDER.index(RegionLevel(region.level))
    kids: list[dict] = []
    if index + 1 < len(LEVEL_ORDER):
        level = LEVEL_ORDER[index + 1]
        codes = _with_stations(level, region.bounds)
        rows = Region.objects.filter(code__in=codes, level=level).only("code", "name", "level")
        kids = [_head(row) for row in rows.order_by("code")]
    found = {**_head(region), "children": kids}
    cache.set(key, found, settings.PUBLIC_PLACES_CACHE_SECONDS)
    return found


def stations(code: str) -> dict | None:
    """The township or village with ``code`` and its active stations (its own first).

    None when no region has the code; ValidationError when it is not a division code
    or names a county or above.
    """
    validate_code(code)
    key = f"places:stations:{code}"
    found = cache.get(key)
    if found is not None:
        return found
    region = _region(code)
    if region is None:
        return None
    if region.level not in STATION_LEVELS:
        raise ValidationError(
            _("Choose a township or street first: its stations are listed one township at a time."),
            code="level",
        )
    rows = (
        Station.objects.active()
        .filter(within("region", region.bounds))
        .select_related("region")
        .only("pk", "name", "region__code", "region__name")
        .order_by("region_id", "name", "pk")
    )
    found = {
        **_head(region),
        "stations": [
            {"id": s.pk, "name": s.name, "region": s.region_id, "region_name": s.region.name}
            for s in rows
        ],
    }
    cache.set(key, found, settings.PUBLIC_PLACES_CACHE_SECONDS)
    return found


def township_of(code: str) -> str:
    """The township code a township or village code lies in."""
    return code[: PREFIX_LENGTH[RegionLevel.TOWNSHIP]].ljust(12, "0")


def county_of(code: str) -> str:
    return code[: PREFIX_LENGTH[RegionLevel.COUNTY]].ljust(12, "0")


def grouped(rows: list[dict]) -> list[dict]:
    """Counties grouped by city, for <optgroup>s: one group without a label when all
    counties are of one city."""
    cities = list(dict.fromkeys(c["city"] for c in rows))
    if len(cities) <= 1:
        return [{"city": "", "counties": rows}]
    return [{"city": city, "counties": [c for c in rows if c["city"] == city]} for city in cities]


@dataclass(frozen=True)
class RegionPick:
    """What a public list's region picker shows, and the code the list is filtered by.

    ``code`` is the township, else the county, else nothing; a malformed value is kept
    so the list's filter refuses it with a message.
    """

    county: str
    township: str
    code: str
    counties: list[dict]
    townships: list[dict] | None  # None: no county chosen yet
    stations: list[dict] | None  # None: no township chosen yet


def region_pick(data, station_region: str = "", with_stations: bool = False) -> RegionPick:
    """The picker of a GET filter form (``county``, ``region``) from its query string.

    Without JavaScript a person picks a county and presses the filter button: the page
    comes back filtered by that county, with its townships to choose from. A township
    left selected from another county is dropped, as the county select was changed
    after it. ``station_region`` (the region of a station chosen by id) implies its
    township. A constant number of cached queries, whatever the number of regions.
    """
    county = str(data.get("county") or "").strip()
    code = str(data.get("region") or "").strip() or station_region
    if CODE_RE.match(code):
        if CODE_RE.match(county) and county != county_of(code):
            code = ""
        else:
            county = county_of(code)
    code = code or county
    all_counties = counties()
    if not any(c["code"] == county for c in all_counties):
        county = ""
    township = ""
    if CODE_RE.match(code) and level_of(code) in STATION_LEVELS:
        township = township_of(code)
    found = children(county) if county else None
    kids = found["children"] if found else None
    here = stations(township) if with_stations and township and kids else None
    return RegionPick(
        county=county,
        township=township,
        code=code,
        counties=grouped(all_counties),
        townships=kids,
        stations=here["stations"] if here else None,
    )


def region_filter(filterset_class, data, queryset, station_region="", with_stations=False):
    """A public list's filter set, its region taken from the picker: (filterset, pick)."""
    pick = region_pick(data, station_region, with_stations)
    data = data.copy()
    data["region"] = pick.code
    # A station left selected from another township: the township select was changed
    # after it, so it no longer applies.
    station = str(data.get("station") or "").strip()
    listed = {str(s["id"]) for s in pick.stations or []}
    if with_stations and station.isdigit() and station not in listed:
        data["station"] = ""
    return filterset_class(data, queryset=queryset), pick
