"""Cases in the admin: read-only, with their timeline; they move only through the flow."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from liaison.base.admin_tools import (
    EventInline,
    ReadOnlyAdminMixin,
    RegionSubtreeFilter,
    ScopedAdminMixin,
)
from suggestions.cases.models import Case, CaseEvent
from suggestions.cases.scopes import cases_visible_to
from suggestions.shared.deadlines import explain


class CaseEventInline(EventInline):
    model = CaseEvent


@admin.register(Case)
class CaseAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: cases move only through the flow's services, which keep the history."""

    scope_function = cases_visible_to
    list_display = [
        "tracking_code",
        "title",
        "step",
        "station",
        "category",
        "lead_unit",
        "deadline",
        "escalation_level",
        "is_key",
    ]
    list_filter = ["step", "category", "is_key", "authority", RegionSubtreeFilter]
    search_fields = ["tracking_code", "title"]
    list_select_related = ["station", "category", "lead_unit"]
    date_hierarchy = "received_at"
    inlines = [CaseEventInline]
    readonly_fields = ["deadline_text", "next_sweep_on"]

    @admin.display(description=_("how the deadline was computed"))
    def deadline_text(self, obj):
        return explain(obj.deadline_explanation)
