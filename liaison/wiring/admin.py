"""Users with their roles on one page: committee regions, stations, units."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from liaison.base.models import CommitteeMembership, ImportRecord
from stations.models import StationStaff
from suggestions.models import UnitStaff


class CommitteeInline(admin.TabularInline):
    model = CommitteeMembership
    extra = 0
    autocomplete_fields = ["region"]


class StationStaffInline(admin.TabularInline):
    model = StationStaff
    extra = 0
    autocomplete_fields = ["station"]


class UnitStaffInline(admin.TabularInline):
    model = UnitStaff
    extra = 0
    autocomplete_fields = ["unit"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserWithRolesAdmin(UserAdmin):
    inlines = [CommitteeInline, StationStaffInline, UnitStaffInline]


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """The audit trail of imports (who, when, which file, what it did), read only: files
    are imported on the staff page /staff/imports/ or with ``manage.py import_roster``."""

    list_display = [
        "created_at",
        "kind",
        "filename",
        "actor",
        "status",
        "rows",
        "created",
        "updated",
        "unchanged",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["filename", "sha256", "actor__username"]
    list_select_related = ["actor"]
    readonly_fields = [field.name for field in ImportRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
