from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from liaison.base.admin_tools import ReadOnlyAdminMixin, RegionSubtreeFilter, ScopedAdminMixin
from liaison.base.flow import FlowError
from representatives.models import Representative
from representatives.services import representative_save
from stations.models import (
    ChecklistItem,
    DutyAssignment,
    ReceptionDay,
    ReceptionNotice,
    ReceptionStatus,
    Station,
    StationChecklist,
    StationMembership,
    StationStaff,
    Visit,
)
from stations.scopes import (
    reception_days_visible_to,
    representatives_visible_to,
    stations_visible_to,
    visits_visible_to,
)
from stations.selectors import DayFigures, attach_figures
from stations.services import (
    ReceptionDayError,
    check_duty,
    reception_day_hold,
    reception_day_publish,
    reception_day_unpublish,
    reception_day_update,
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
        "code",
        "kind",
        "region",
        "address",
        "in_service_centre",
        "checklist_done",
        "active",
    ]
    list_filter = ["kind", "active", "in_service_centre", RegionSubtreeFilter]
    search_fields = ["name", "code", "address", "region__name"]
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


class DutyFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        day = self.instance
        if not day.date or not day.station_id:
            return
        ids = [
            form.cleaned_data["representative"].pk
            for form in self.forms
            if form.cleaned_data.get("representative") and not form.cleaned_data.get("DELETE")
        ]
        try:
            check_duty(
                station_id=day.station_id, date=day.date, representative_ids=ids, day_id=day.pk
            )
        except ReceptionDayError as error:
            raise ValidationError(error.messages) from error


class DutyInline(admin.TabularInline):
    model = DutyAssignment
    formset = DutyFormSet
    extra = 0
    autocomplete_fields = ["representative"]
    # Attendance is the representative's confirmation (services.duty_attendance_set).
    readonly_fields = ["kind", "attendance"]

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.status == ReceptionStatus.PLANNED

    has_add_permission = has_delete_permission = has_change_permission


class StationRegionFilter(RegionSubtreeFilter):
    field = "station__region_id"


class FiguresChangeList(ChangeList):
    """Each page's reception days get their figures in two queries, not three per row."""

    def get_results(self, request):
        super().get_results(request)
        attach_figures(self.result_list)  # fills the page queryset's cache, then annotates it


def _figures(day: ReceptionDay) -> DayFigures:
    if not hasattr(day, "figures"):  # the change form shows one day
        attach_figures([day])
    return day.figures


@admin.register(ReceptionDay)
class ReceptionDayAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_function = reception_days_visible_to
    list_display = [
        "date",
        "station",
        "start_time",
        "end_time",
        "status",
        "notice_date",
        "noticed_at",
        "people_received",
        "visit_count",
        "case_count",
    ]
    list_filter = ["status", "date", StationRegionFilter]
    date_hierarchy = "date"
    search_fields = ["station__name", "place"]
    list_select_related = ["station"]
    autocomplete_fields = ["station"]
    readonly_fields = ["status", "cancel_reason", "notice_date", "published_at", "noticed_at"]
    inlines = [DutyInline]
    actions = ["publish", "unpublish", "hold"]

    def get_changelist(self, request, **kwargs):
        return FiguresChangeList

    @admin.display(description=_("people received"))
    def people_received(self, day):
        return _figures(day).people

    @admin.display(description=_("visits"))
    def visit_count(self, day):
        return _figures(day).visits

    @admin.display(description=_("cases raised"))
    def case_count(self, day):
        return _figures(day).cases

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None:
            fields += ["station", "people_received", "visit_count", "case_count"]
            if obj.status != ReceptionStatus.PLANNED:
                fields += ["date", "start_time", "end_time", "place", "notice_lead_workdays"]
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Through the service, which keeps the duties' copy of the date in step.
        fields = ["date", "start_time", "end_time", "place", "notice_lead_workdays"]
        reception_day_update(
            day=obj,
            actor=request.user,
            **{name: form.cleaned_data[name] for name in fields if name in form.changed_data},
        )

    def _apply(self, request, queryset, service):
        done, refused = 0, []
        for day in queryset:
            try:
                service(day=day, actor=request.user)
            except ReceptionDayError as error:
                refused.append(f"{day}: {' '.join(error.messages)}")
            except FlowError as error:
                refused.append(f"{day}: {error.message}")
            else:
                done += 1
        self.message_user(request, _("%(count)d reception days changed.") % {"count": done})
        for message in refused:
            self.message_user(request, message, messages.ERROR)

    @admin.action(description=_("Publish the selected reception days"))
    def publish(self, request, queryset):
        self._apply(request, queryset, reception_day_publish)

    @admin.action(description=_("Take the selected reception days back to planned"))
    def unpublish(self, request, queryset):
        self._apply(request, queryset, reception_day_unpublish)

    @admin.action(description=_("Mark the selected reception days as held"))
    def hold(self, request, queryset):
        self._apply(request, queryset, reception_day_hold)


@admin.register(ReceptionNotice)
class ReceptionNoticeAdmin(admin.ModelAdmin):
    list_display = ["reception_day", "published_at", "withdrawn_at"]
    list_select_related = ["reception_day__station"]
    search_fields = ["reception_day__station__name", "text"]
    date_hierarchy = "published_at"
    readonly_fields = ["reception_day", "text", "published_at", "withdrawn_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: visits are logged through the staff pages and the API."""

    scope_function = visits_visible_to
    list_display = ["visited_at", "station", "channel", "people_count"]
    list_filter = ["channel", RegionSubtreeFilter]
    list_select_related = ["station"]
    date_hierarchy = "visited_at"


# A representative's page lists their seats, which this app owns.


class StationFilter(admin.SimpleListFilter):
    title = _("station")
    parameter_name = "station"

    def lookups(self, request, model_admin):
        return list(Station.objects.values_list("pk", "name")[:500])

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        sitting = StationMembership.objects.current().filter(station_id=self.value())
        return queryset.filter(pk__in=sitting.values("representative_id"))


class SeatInline(admin.TabularInline):
    model = StationMembership
    extra = 0
    autocomplete_fields = ["station"]
    fields = ["station", "start_date", "end_date", "note"]


@admin.register(Representative)
class RepresentativeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_function = representatives_visible_to
    list_display = [
        "name",
        "level",
        "term",
        "kind",
        "region",
        "work_unit",
        "position",
        "published",
    ]
    list_filter = ["level", "kind", "published", RegionSubtreeFilter, StationFilter, "term"]
    search_fields = ["name", "work_unit", "position", "electoral_district"]
    list_select_related = ["region"]
    autocomplete_fields = ["region", "user"]
    inlines = [SeatInline]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "gender", "photo", "published"]}),
        (
            _("Congress"),
            {"fields": ["level", "term", "number", "electoral_district", "region", "kind"]},
        ),
        (_("Work"), {"fields": ["work_unit", "position"]}),
        (_("Contact"), {"fields": ["public_phone", "private_phone", "email", "user"]}),
    ]

    def save_model(self, request, obj, form, change):
        representative_save(representative=obj, photo_changed="photo" in form.changed_data)
