"""Congress sessions and who attended (entered by the committee after each session), and
read-only lists of activities and reports. Fixed contacts (personal data) are not in the
admin: they are kept on the staff pages, in scope."""

from django.contrib import admin

from duty.models import Activity, CongressSession, DutyReport, SessionAttendance


class AttendanceInline(admin.TabularInline):
    model = SessionAttendance
    autocomplete_fields = ["representative"]
    extra = 5


@admin.register(CongressSession)
class CongressSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "level", "start_date", "end_date"]
    list_filter = ["level"]
    list_select_related = ["region"]
    autocomplete_fields = ["region"]
    inlines = [AttendanceInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "title", "status", "region"]
    list_filter = ["kind", "status"]
    search_fields = ["title"]
    list_select_related = ["region"]
    date_hierarchy = "date"

    def has_add_permission(self, request):
        # Recorded and confirmed on the staff pages, through the flow.
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DutyReport)
class DutyReportAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "status", "published_at"]
    list_filter = ["status", "year"]
    search_fields = ["title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
