import csv

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from liaison.base import api_tokens
from liaison.base.admin_tools import ScopedAdminMixin
from liaison.base.api_tokens import ApiToken
from liaison.base.audit import AuditAction, AuditRecord, audit
from liaison.base.calendar import uncovered_years
from liaison.base.duties import AdminAssignment, AdminDuty, duty_of, is_audit_admin
from liaison.base.models import CommitteeMembership, JurisdictionSettings, Region, WorkdayAdjustment
from liaison.base.scopes import regions_visible_to

admin.site.site_header = _("Liaison stations administration")
admin.site.site_title = _("Liaison stations")
admin.site.index_title = _("Administration")


@admin.register(Region)
class RegionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_function = regions_visible_to
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    ordering = ["code"]


@admin.register(CommitteeMembership)
class CommitteeMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "region", "title"]
    list_select_related = ["user", "region"]
    search_fields = ["user__username", "user__first_name", "region__name", "region__code"]
    autocomplete_fields = ["user", "region"]


@admin.register(WorkdayAdjustment)
class WorkdayAdjustmentAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"
    search_fields = ["name"]

    def changelist_view(self, request, extra_context=None):
        this_year = timezone.localdate().year
        missing = uncovered_years([this_year, this_year + 1])
        if missing:
            self.message_user(
                request,
                _(
                    "No official holiday calendar for %(years)s: working days there are "
                    "counted Monday to Friday until you enter the holidays and make-up days."
                )
                % {"years": ", ".join(str(year) for year in missing)},
                messages.WARNING,
            )
        return super().changelist_view(request, extra_context)


@admin.register(JurisdictionSettings)
class JurisdictionSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "region",
        "notice_lead_workdays",
        "reception_day_of_month",
        "reply_workdays",
        "due_soon_workdays",
    ]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    search_fields = ["region__name", "region__code"]
    fieldsets = [
        (None, {"fields": ["region"]}),
        (
            _("Reception days"),
            {
                "fields": [
                    "reception_day_of_month",
                    "keep_non_working_reception_day",
                    "notice_lead_workdays",
                    "duty_days_national",
                    "duty_days_provincial",
                    "duty_days_city",
                    "duty_days_county",
                    "duty_days_township",
                ]
            },
        ),
        (
            _("Cases"),
            {
                "fields": [
                    "registration_workdays",
                    "reply_workdays",
                ]
            },
        ),
        (
            _("Reminders and escalation (cases and suggestions)"),
            {
                "fields": [
                    "due_soon_workdays",
                    "escalation_interval_workdays",
                    "escalation_levels",
                ]
            },
        ),
        (
            _("Representative suggestions"),
            {
                "fields": [
                    "suggestion_assign_workdays",
                    "suggestion_reply_months",
                    "suggestion_extended_reply_months",
                    "suggestion_counit_months",
                    "suggestion_rehandle_months",
                ]
            },
        ),
        (
            _("Duty quotas (green, amber, red; 0 turns one off)"),
            {
                "fields": [
                    "station_days_per_month",
                    "people_reached_per_month",
                    ("fixed_contacts_national", "contact_times_national"),
                    ("fixed_contacts_provincial", "contact_times_provincial"),
                    ("fixed_contacts_city", "contact_times_city"),
                    ("fixed_contacts_county", "contact_times_county"),
                    ("fixed_contacts_township", "contact_times_township"),
                    "duty_reports_per_year",
                    "quota_reminder_month_workdays",
                    "quota_reminder_year_workdays",
                ]
            },
        ),
    ]


# The outbox's admin is in its own package.
import liaison.base.documents.admin  # noqa: E402
import liaison.base.notifications.admin  # noqa: E402, F401


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    """The audit: read and exported by the audit administrator only — not by the system
    administrator, superuser or not — and changed or deleted by nobody."""

    list_display = ["at", "username", "address", "action", "object_type", "object_id", "result"]
    list_filter = ["action", "result"]
    search_fields = ["=username", "=object_id", "=address"]
    show_full_result_count = False
    actions = ["export_csv"]

    def has_module_permission(self, request):
        return is_audit_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_audit_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Export the chosen records (CSV)"))
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="audit.csv"'
        writer = csv.writer(response)
        writer.writerow(["id", "at", "user", "address", "action", "object", "id", "result", "hash"])
        rows = queryset.order_by("id")
        for row in rows:
            writer.writerow(
                [row.pk, row.at.isoformat(), row.username, row.address, row.action,
                 row.object_type, row.object_id, row.result, row.hash]
            )  # fmt: skip
        audit(action=AuditAction.EXPORT, request=request, object_type="liaison.auditrecord")
        return response


@admin.register(AdminAssignment)
class AdminAssignmentAdmin(admin.ModelAdmin):
    """Who holds which administrator duty: the security administrator's to give."""

    list_display = ["user", "duty"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]

    def _allowed(self, request):
        return request.user.is_superuser or duty_of(request.user) == AdminDuty.SECURITY

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """API tokens: who holds which, until when; the key is never stored, so never shown.
    Issued by the token endpoint only; revoked here or by their holder."""

    list_display = [
        "user",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    list_select_related = ["user"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["=user__username", "=prefix"]
    readonly_fields = list_display
    fields = list_display
    actions = ["revoke_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the chosen tokens"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        revoked = api_tokens.revoke(queryset)
        for token in queryset:
            audit(action=AuditAction.TOKEN, request=request, obj=token, detail="revoked")
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
        )
