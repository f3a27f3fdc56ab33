"""Users with their roles on one page: committee regions, stations, units."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from liaison.base.models import CommitteeMembership, ImportRecord
from liaison.base.roles import Role
from liaison.wiring.staff import two_factor
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
# One login for staff and admin: its lockout and its second factor.
admin.site.login = two_factor.admin_login


@admin.register(User)
class UserWithRolesAdmin(UserAdmin):
    inlines = [CommitteeInline, StationStaffInline, UnitStaffInline]
    list_display = [*UserAdmin.list_display, "roles"]
    readonly_fields = ["roles", "representative_link"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("Roles and scope"), {"fields": ["roles", "representative_link"]}),
    ]

    def get_queryset(self, request):
        # The roles column of the list: three prefetches and a join, whatever the page's length.
        return (
            super()
            .get_queryset(request)
            .select_related("representative")
            .prefetch_related(
                "committee_memberships__region", "station_roles__station", "unit_roles__unit"
            )
        )

    @admin.display(description=_("roles and scope"))
    def roles(self, user) -> str:
        parts = [str(Role.ADMIN.label)] if user.is_superuser else []
        parts += [
            f"{Role.COMMITTEE.label}: {row.region.name}" for row in user.committee_memberships.all()
        ]
        parts += [f"{Role.LIAISON.label}: {row.station.name}" for row in user.station_roles.all()]
        parts += [f"{Role.UNIT.label}: {row.unit.name}" for row in user.unit_roles.all()]
        representative = getattr(user, "representative", None)
        if representative is not None:
            parts.append(f"{Role.REPRESENTATIVE.label}: {representative.name}")
        return "；".join(parts) or "—"

    @admin.display(description=_("representative"))
    def representative_link(self, user):
        """A representative's login is set on the representative's own page."""
        representative = getattr(user, "representative", None)
        if representative is None:
            return "—"
        url = reverse("admin:representatives_representative_change", args=[representative.pk])
        return format_html('<a href="{}">{}</a>', url, representative.name)


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
