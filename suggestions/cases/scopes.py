"""The cases a user may see (Scope: liaison/base/scopes.py)."""

from django.db.models import Q, QuerySet

from liaison.base.scopes import in_regions, scope_of
from stations.scopes import visits_received_by
from suggestions.cases.models import Case, case_ids_handled_by


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
