from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from liaison.admin_tools import RegionSubtreeFilter, ScopedAdminMixin
from liaison.scopes import stations_visible_to, visits_visible_to
from stations.models import (
    ChecklistItem,
    DutyAssignment,
    ReceptionDay,
    Station,
    StationChecklist,
    StationMembership,
    StationStaff,
    Visit,
)


class StaffInline(admin.TabularInline):
    model = StationStaff
    extra = 0
    autocomplete_fields = ["user"]


class ChecklistInline(admin.TabularInline):
    model = StationChecklist
    extra = 0
    fields = ["item", "done", "note"]


class MembershipInline(admin.TabularInline):
    model = StationMembership
    extra = 0
    autocomplete_fields = ["representative"]
    fields = ["representative", "start_date", "end_date", "note"]


@admin.register(Station)
class StationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_function = stations_visible_to
    list_display = [
        "name",
        "kind",
        "region",
        "address",
        "in_service_centre",
        "checklist_done",
        "active",
    ]
    list_filter = ["kind", "active", "in_service_centre", RegionSubtreeFilter]
    search_fields = ["name", "address", "region__name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    inlines = [StaffInline, ChecklistInline, MembershipInline]
    list_per_page = 50

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(done_items=Count("checklist", filter=Q(checklist__done=True)))
        )

    @admin.display(description=_("standard items done"), ordering="done_items")
    def checklist_done(self, station):
        return station.done_items


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "code"]
    list_display_links = ["name"]


@admin.register(StationMembership)
class StationMembershipAdmin(admin.ModelAdmin):
    list_display = ["representative", "station", "start_date", "end_date"]
    list_select_related = ["representative", "station"]
    list_filter = ["representative__level", ("end_date", admin.EmptyFieldListFilter)]
    search_fields = ["representative__name", "station__name"]
    autocomplete_fields = ["representative", "station"]


class DutyInline(admin.TabularInline):
    model = DutyAssignment
    extra = 0
    autocomplete_fields = ["representative"]


@admin.register(ReceptionDay)
class ReceptionDayAdmin(admin.ModelAdmin):
    list_display = ["date", "station", "start_time", "end_time", "status"]
    list_filter = ["status", "date"]
    date_hierarchy = "date"
    search_fields = ["station__name", "place"]
    list_select_related = ["station"]
    autocomplete_fields = ["station"]
    inlines = [DutyInline]


@admin.register(Visit)
class VisitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: visits are logged through the staff pages and the API."""

    scope_function = visits_visible_to
    list_display = ["visited_at", "station", "channel", "people_count"]
    list_filter = ["channel", RegionSubtreeFilter]
    list_select_related = ["station"]
    date_hierarchy = "visited_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
