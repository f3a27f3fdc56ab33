"""Handling units and categories; the cases' and suggestions' admin live in their packages."""

from django.contrib import admin

from liaison.base.admin_tools import RegionSubtreeFilter, ScopedAdminMixin
from suggestions.models import CaseCategory, HandlingUnit, UnitStaff
from suggestions.shared.scopes import units_visible_to


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


@admin.register(CaseCategory)
class CaseCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "active"]
    list_editable = ["order", "active"]
    search_fields = ["name", "code"]


# Each flow registers its own admin.
from suggestions.cases import admin as case_admin  # noqa: E402, F401
from suggestions.proposals import admin as suggestion_admin  # noqa: E402, F401
