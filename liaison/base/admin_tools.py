"""Pieces every app's admin uses: scope-limited querysets and a region-subtree filter."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from liaison.base.models import Region
from liaison.base.regions import RegionLevel, within


class RegionSubtreeFilter(admin.SimpleListFilter):
    """Filter by a county or township and everything below it (a range on the code)."""

    title = _("region")
    parameter_name = "region"
    field = "region_id"

    def lookups(self, request, model_admin):
        levels = [RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP]
        return [
            (region.code, region.name)
            for region in Region.objects.filter(level__in=levels).only("code", "name")[:300]
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        region = Region.objects.filter(code=self.value()).first()
        if region is None:
            return queryset.none()
        return queryset.filter(within(self.field, region.bounds))


class ScopedAdminMixin:
    """Staff who are not superusers see only what their scope function returns."""

    scope_function = None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser or self.scope_function is None:
            return queryset
        visible = type(self).scope_function(request.user).values("pk")
        return queryset.filter(pk__in=visible)


class ReadOnlyAdminMixin:
    """Records that only services write (visits, cases): the admin shows them, never edits."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Rows shown beside their parent and never edited there (replies, ratings)."""

    extra = 0


class EventInline(ReadOnlyInline):
    """A flow's timeline: append-only history (set ``model`` to the flow's event model)."""

    fields = readonly_fields = ["at", "kind", "from_step", "to_step", "actor", "note", "data"]
    ordering = ["at", "id"]
