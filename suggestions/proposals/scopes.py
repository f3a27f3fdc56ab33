"""The representative suggestions a user may see (Scope: liaison/base/scopes.py)."""

from django.db.models import Q, QuerySet

from liaison.base.scopes import in_regions, scope_of
from suggestions.proposals.models import Suggestion, SuggestionSigner, suggestion_ids_handled_by


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
