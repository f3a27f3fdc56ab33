"""Users with their roles on one page: committee regions, stations, units."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from liaison.base.models import CommitteeMembership
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
