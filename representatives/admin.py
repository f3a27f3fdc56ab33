"""Representative groups. A representative's own page is in stations/admin.py, since it
shows the stations they sit in."""

from django.contrib import admin

from liaison.base.admin_tools import RegionSubtreeFilter
from representatives.models import RepresentativeGroup


@admin.register(RepresentativeGroup)
class RepresentativeGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "region", "leader", "liaison"]
    list_filter = ["kind", "level", RegionSubtreeFilter]
    search_fields = ["name", "industry"]
    list_select_related = ["region", "leader", "liaison"]
    autocomplete_fields = ["region", "leader", "liaison", "members"]
