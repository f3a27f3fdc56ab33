"""Who a user is: their roles and reach (``Scope``), read once per request.

A scope says which regions (as division-code ranges: a committee sees its
region's whole subtree), stations, units and representative a user acts for.
The querysets built on it live beside their models, one ``scopes.py`` per app
(``stations/scopes.py``, ``suggestions/cases/scopes.py``, ...), and every page, API
call and export fetches through them, so that an object outside the user's scope
is simply not found (a 404, never a leak).

The roles themselves are rows of each app's tables (committee memberships here,
station staff in stations/, unit staff in suggestions/, a representative's login in
representatives/). Each app registers its *role source* when it is ready
(``role_source``), and ``scope_of`` reads them all in one UNION ALL query, so that
this module imports no app.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL

from liaison.base import auth
from liaison.base.compiled import CompiledQuery
from liaison.base.models import CommitteeMembership, Region
from liaison.base.regions import within
from liaison.base.roles import Role

TEXT = CharField()


@dataclass(frozen=True)
class Scope:
    is_admin: bool = False
    region_bounds: tuple[tuple[str, str], ...] = ()
    station_ids: frozenset[int] = frozenset()
    unit_ids: frozenset[int] = frozenset()
    representative_id: int | None = None
    # Representative groups (代表小组) whose liaison the user is.
    group_ids: frozenset[int] = frozenset()
    roles: frozenset[str] = field(default=frozenset())

    @property
    def is_committee(self) -> bool:
        """Committee staff of some region, or an administrator (who acts as one)."""
        return self.is_admin or bool(self.region_bounds)

    def covers_region(self, code: str) -> bool:
        """Whether the division code lies in one of the committee's subtrees."""
        return self.is_admin or any(low <= code <= high for low, high in self.region_bounds)

    def covers_station(self, station) -> bool:
        """Whether the user runs the station: its liaison, or a committee over it."""
        return station.pk in self.station_ids or self.covers_region(station.region_id)


NOBODY = Scope()

# Each returns the user's role rows of one table as (kind, value, region level) text.
RoleSource = Callable[[object], QuerySet]
_ROLE_SOURCES: list[RoleSource] = []


def role_source(source: RoleSource) -> None:
    """Register where some of the users' roles are stored (called from ``AppConfig.ready``)."""
    if source not in _ROLE_SOURCES:
        _ROLE_SOURCES.append(source)
        _ROLES_QUERY.forget()
        auth.forget()


def committee_roles(user) -> QuerySet:
    return CommitteeMembership.objects.filter(user=user).values_list(
        Value("committee", output_field=TEXT), "region_id", "region__level"
    )


def scope_of(user) -> Scope:
    """The user's roles and reach, read once per request and kept on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
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
    groups = frozenset(int(value) for kind, value, _ in held if kind == "group")
    roles = {
        role
        for role, held in (
            (Role.ADMIN, user.is_superuser),
            (Role.COMMITTEE, bool(bounds)),
            (Role.LIAISON, bool(stations)),
            (Role.UNIT, bool(units)),
            (Role.REPRESENTATIVE, representative_id is not None),
            (Role.GROUP, bool(groups)),
        )
        if held
    }
    scope = Scope(
        is_admin=user.is_superuser,
        region_bounds=bounds,
        station_ids=stations,
        unit_ids=units,
        representative_id=representative_id,
        group_ids=groups,
        roles=frozenset(roles),
    )
    user._liaison_scope = scope
    return scope


def _roles_held(user) -> list[tuple[str, str, str]]:
    """Every role row of the user in one query (a UNION ALL of the role tables).
    Scope is read on every staff request: the request's user brings them (``roles_read``),
    anyone else's are read by SQL built once (``CompiledQuery``)."""
    found = auth.read_with(user, "roles")
    if found is auth.NOT_READ:
        return _ROLES_QUERY.rows(user.pk)
    return auth.rows_of(found)


def _roles_union(user_id: int) -> QuerySet:
    first, *others = (source(user_id).order_by() for source in _ROLE_SOURCES)
    return first.union(*others, all=True)


def roles_read(user_id: int) -> RawSQL:
    """The user's role rows as one JSON text, read with the request's user (``auth``)."""
    return auth.json_rows(_roles_union(user_id))


_ROLES_QUERY = CompiledQuery(CommitteeMembership, _roles_union)


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
