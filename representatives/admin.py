"""Representative groups. A representative's own page is in stations/admin.py, since it
shows the stations they sit in."""

from django.contrib import admin

from liaison.base.admin_tools import RegionSubtreeFilter
from representatives.models import GridCell, RepresentativeGroup, Unavailability


@admin.register(RepresentativeGroup)
class RepresentativeGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "region", "leader", "liaison"]
    list_filter = ["kind", "level", RegionSubtreeFilter]
    search_fields = ["name", "industry"]
    list_select_related = ["region", "leader", "liaison"]
    autocomplete_fields = ["region", "leader", "liaison", "members"]


@admin.register(GridCell)
class GridCellAdmin(admin.ModelAdmin):
    """Grid cells (网格): who answers for an enterprise, a compound, a villager group."""

    list_display = ["name", "kind", "region"]
    list_filter = ["kind", RegionSubtreeFilter]
    search_fields = ["name", "address"]
    list_select_related = ["region"]
    autocomplete_fields = ["region", "representatives"]


@admin.register(Unavailability)
class UnavailabilityAdmin(admin.ModelAdmin):
    list_display = ["representative", "start_date", "end_date", "reason"]
    list_select_related = ["representative"]
    autocomplete_fields = ["representative"]
    date_hierarchy = "start_date"
