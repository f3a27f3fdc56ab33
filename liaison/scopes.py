"""Who may see what: one module, querysets out.

Every page, API call and export fetches through these functions, so that an
object outside the user's scope is simply not found (a 404, never a leak).
A committee sees its region's whole subtree, which is a range on the division
code; a liaison sees their stations; handling-unit staff their units; a
representative themself and their stations; an administrator everything.
"""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast

from liaison.models import CommitteeMembership, Region
from liaison.regions import within
from liaison.roles import Role
from representatives.models import Representative
from stations.models import ReceptionDay, Station, StationMembership, StationStaff, Visit
from suggestions.models import (
    Case,
    HandlingUnit,
    Suggestion,
    SuggestionSigner,
    UnitStaff,
    case_ids_handled_by,
    suggestion_ids_handled_by,
)


@dataclass(frozen=True)
class Scope:
    is_admin: bool = False
    region_bounds: tuple[tuple[str, str], ...] = ()
    station_ids: frozenset[int] = frozenset()
    unit_ids: frozenset[int] = frozenset()
    representative_id: int | None = None
    roles: frozenset[str] = field(default=frozenset())


_NOBODY = Scope()


def scope_of(user) -> Scope:
    """The user's roles and reach, read once per request and kept on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _NOBODY
    cached = getattr(user, "_liaison_scope", None)
    if cached is not None:
        return cached
    held = _roles_held(user)
    bounds = tuple(
        Region(code=code, level=level).bounds for kind, code, level in held if kind == "committee"
    )
    stations = frozenset(int(value) for kind, value, _ in held if kind == "station")
    units = frozenset(int(value) for kind, value, _ in held if kind == "unit")
    representative_id = next((int(value) for kind, value, _ in held if kind == "rep"), None)
    roles = {
        role
        for role, held in (
            (Role.ADMIN, user.is_superuser),
            (Role.COMMITTEE, bool(bounds)),
            (Role.LIAISON, bool(stations)),
            (Role.UNIT, bool(units)),
            (Role.REPRESENTATIVE, representative_id is not None),
        )
        if held
    }
    scope = Scope(
        is_admin=user.is_superuser,
        region_bounds=bounds,
        station_ids=stations,
        unit_ids=units,
        representative_id=representative_id,
        roles=frozenset(roles),
    )
    user._liaison_scope = scope
    return scope


def _roles_held(user) -> list[tuple[str, str, str]]:
    """Every role row of the user in one query (a UNION ALL of the four role tables):
    (kind, region code or id, region level). Scope is read on every staff request."""
    text = CharField()
    committees = CommitteeMembership.objects.filter(user=user).values_list(
        Value("committee", output_field=text), "region_id", "region__level"
    )
    stations = StationStaff.objects.filter(user=user).values_list(
        Value("station", output_field=text), Cast("station_id", text), Value("", output_field=text)
    )
    units = UnitStaff.objects.filter(user=user).values_list(
        Value("unit", output_field=text), Cast("unit_id", text), Value("", output_field=text)
    )
    representative = Representative.objects.filter(user=user).values_list(
        Value("rep", output_field=text), Cast("id", text), Value("", output_field=text)
    )
    return list(
        committees.order_by().union(
            stations.order_by(), units.order_by(), representative.order_by(), all=True
        )
    )


def in_regions(lookup: str, bounds: tuple[tuple[str, str], ...]) -> Q:
    """``lookup`` (a division-code column) within any of the subtrees; nothing if none."""
    if not bounds:
        return Q(pk__in=[])
    return reduce(or_, (within(lookup, pair) for pair in bounds))


def regions_visible_to(user) -> QuerySet[Region]:
    scope = scope_of(user)
    if scope.is_admin:
        return Region.objects.all()
    return Region.objects.filter(in_regions("code", scope.region_bounds))


def stations_visible_to(user) -> QuerySet[Station]:
    scope = scope_of(user)
    if scope.is_admin:
        return Station.objects.all()
    condition = in_regions("region_id", scope.region_bounds) | Q(pk__in=scope.station_ids)
    if scope.representative_id is not None:
        condition |= Q(
            pk__in=StationMembership.objects.current()
            .filter(representative_id=scope.representative_id)
            .values("station_id")
        )
    return Station.objects.filter(condition)


def stations_managed_by(user) -> QuerySet[Station]:
    """Stations whose visits and reception days the user runs: their own as a liaison,
    their region's as a committee (representatives see stations but do not run them)."""
    scope = scope_of(user)
    if scope.is_admin:
        return Station.objects.all()
    return Station.objects.filter(
        in_regions("region_id", scope.region_bounds) | Q(pk__in=scope.station_ids)
    )


def representatives_visible_to(user) -> QuerySet[Representative]:
    """Staff see the representatives of their region, and every representative
    sitting in one of their stations (national ones included)."""
    scope = scope_of(user)
    if scope.is_admin:
        return Representative.objects.all()
    if not (scope.region_bounds or scope.station_ids or scope.representative_id):
        return Representative.objects.none()
    sitting_in = StationMembership.objects.filter(
        in_regions("station__region_id", scope.region_bounds) | Q(station_id__in=scope.station_ids)
    ).values("representative_id")
    condition = in_regions("region_id", scope.region_bounds) | Q(pk__in=sitting_in)
    if scope.representative_id is not None:
        condition |= Q(pk=scope.representative_id)
    return Representative.objects.filter(condition)


def units_visible_to(user) -> QuerySet[HandlingUnit]:
    scope = scope_of(user)
    if scope.is_admin:
        return HandlingUnit.objects.all()
    return HandlingUnit.objects.filter(
        in_regions("region_id", scope.region_bounds) | Q(pk__in=scope.unit_ids)
    )


def memberships_visible_to(user) -> QuerySet[StationMembership]:
    return StationMembership.objects.filter(station__in=stations_visible_to(user))


def reception_days_visible_to(user) -> QuerySet[ReceptionDay]:
    return ReceptionDay.objects.filter(station__in=stations_visible_to(user))


def visits_visible_to(user) -> QuerySet[Visit]:
    """Visits carry constituents' personal data: staff of the station or the region
    see them, and representatives the visits they received; handling units do not."""
    scope = scope_of(user)
    if scope.is_admin:
        return Visit.objects.all()
    condition = in_regions("region_id", scope.region_bounds) | Q(station_id__in=scope.station_ids)
    if scope.representative_id is not None:
        condition |= Q(pk__in=visits_received_by(scope.representative_id))
    return Visit.objects.filter(condition)


def cases_visible_to(user) -> QuerySet[Case]:
    """Liaisons: their stations' cases; committees: their region's subtree; unit staff:
    cases their unit leads or co-handles; representatives: cases of visits they received."""
    scope = scope_of(user)
    if scope.is_admin:
        return Case.objects.all()
    condition = in_regions("region_id", scope.region_bounds) | Q(station_id__in=scope.station_ids)
    if scope.unit_ids:
        condition |= Q(pk__in=case_ids_handled_by(scope.unit_ids))
    if scope.representative_id is not None:
        condition |= Q(visit_id__in=visits_received_by(scope.representative_id))
    return Case.objects.filter(condition)


def suggestions_visible_to(user) -> QuerySet[Suggestion]:
    """Committees: suggestions to their region's congresses; unit staff: those their
    unit leads or co-handles; representatives: those they signed; liaisons: those
    raised from their stations' cases."""
    scope = scope_of(user)
    if scope.is_admin:
        return Suggestion.objects.all()
    condition = in_regions("region_id", scope.region_bounds)
    if scope.station_ids:
        condition |= Q(source_case__station_id__in=scope.station_ids)
    if scope.unit_ids:
        condition |= Q(pk__in=suggestion_ids_handled_by(scope.unit_ids))
    if scope.representative_id is not None:
        condition |= Q(
            pk__in=SuggestionSigner.objects.filter(
                representative_id=scope.representative_id
            ).values("suggestion_id")
        )
    return Suggestion.objects.filter(condition)


def visits_received_by(representative_id: int) -> QuerySet:
    """Ids of the visits a representative received, as a subquery."""
    return Visit.representatives.through.objects.filter(representative_id=representative_id).values(
        "visit_id"
    )
