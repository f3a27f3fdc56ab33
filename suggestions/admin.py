from django.contrib import admin

from liaison.admin_tools import RegionSubtreeFilter, ScopedAdminMixin
from liaison.scopes import units_visible_to
from suggestions.models import HandlingUnit, UnitStaff


class UnitStaffInline(admin.TabularInline):
    model = UnitStaff
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(HandlingUnit)
class HandlingUnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_function = units_visible_to
    list_display = ["name", "kind", "region", "contact_name", "contact_phone", "active"]
    list_filter = ["kind", "active", RegionSubtreeFilter]
    search_fields = ["name", "contact_name"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    inlines = [UnitStaffInline]
