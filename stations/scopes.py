"""What a user may see of stations, their representatives, reception days and visits.

Built on the user's ``Scope`` (liaison/base/scopes.py); pages, API calls and
exports fetch through these, so that what is out of scope is a 404.
"""

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Cast
from django.http import Http404
from django.shortcuts import get_object_or_404

from liaison.base.scopes import TEXT, in_regions, scope_of
from representatives.models import Representative
from stations.models import ReceptionDay, Station, StationMembership, StationStaff, Visit


def station_roles(user):
    return StationStaff.objects.filter(user=user).values_list(
        Value("station", output_field=TEXT), Cast("station_id", TEXT), Value("", output_field=TEXT)
    )


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


def station_chosen(request) -> tuple[Station, QuerySet[Station]]:
    """The staff pages' station: the active station the request asks for (``?station=``),
    else the user's own first, else the first they run; 404 if they run none. With the
    stations to choose from."""
    stations = stations_managed_by(request.user).filter(active=True)
    wanted = request.GET.get("station") or request.POST.get("station")
    if wanted and wanted.isdigit():
        return get_object_or_404(stations, pk=wanted), stations
    own = sorted(scope_of(request.user).station_ids)
    station = stations.filter(pk__in=own).order_by("pk").first() or stations.order_by("pk").first()
    if station is None:
        raise Http404
    return station, stations


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


def visits_received_by(representative_id: int) -> QuerySet:
    """Ids of the visits a representative received, as a subquery."""
    return Visit.representatives.through.objects.filter(representative_id=representative_id).values(
        "visit_id"
    )
