from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from liaison.admin_tools import RegionSubtreeFilter, ScopedAdminMixin
from liaison.scopes import representatives_visible_to
from representatives.models import Representative, RepresentativeGroup
from representatives.photos import photo_thumbnails_make
from stations.models import Station, StationMembership


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


class MembershipInline(admin.TabularInline):
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
    inlines = [MembershipInline]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "gender", "photo", "published"]}),
        (
            _("Congress"),
            {"fields": ["level", "term", "electoral_district", "region", "kind"]},
        ),
        (_("Work"), {"fields": ["work_unit", "position"]}),
        (_("Contact"), {"fields": ["public_phone", "private_phone", "email", "user"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "photo" in form.changed_data:
            photo_thumbnails_make(obj.photo)


@admin.register(RepresentativeGroup)
class RepresentativeGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "region", "leader", "liaison"]
    list_filter = ["kind", "level", RegionSubtreeFilter]
    search_fields = ["name", "industry"]
    list_select_related = ["region", "leader", "liaison"]
    autocomplete_fields = ["region", "leader", "liaison", "members"]
