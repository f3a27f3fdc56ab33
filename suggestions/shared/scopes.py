"""The handling-unit role, and the units a user may see or choose."""

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Cast

from liaison.base.scopes import TEXT, in_regions, scope_of
from suggestions.shared.models import HandlingUnit, UnitStaff


def unit_roles(user):
    return UnitStaff.objects.filter(user=user).values_list(
        Value("unit", output_field=TEXT), Cast("unit_id", TEXT), Value("", output_field=TEXT)
    )


def units_visible_to(user) -> QuerySet[HandlingUnit]:
    scope = scope_of(user)
    if scope.is_admin:
        return HandlingUnit.objects.all()
    return HandlingUnit.objects.filter(
        in_regions("region_id", scope.region_bounds) | Q(pk__in=scope.unit_ids)
    )
