"""Suggestions in the admin: read-only, with the timeline; they move only through
the services, which keep the history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from liaison.base.admin_tools import (
    EventInline,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    RegionSubtreeFilter,
    ScopedAdminMixin,
)
from suggestions.proposals.models import (
    Suggestion,
    SuggestionCoUnit,
    SuggestionEvent,
    SuggestionRating,
    SuggestionReply,
    SuggestionSigner,
)
from suggestions.proposals.scopes import suggestions_visible_to
from suggestions.shared.deadlines import explain


class SignerInline(ReadOnlyInline):
    model = SuggestionSigner
    fk_name = "suggestion"
    fields = readonly_fields = ["representative", "is_lead", "merged_from"]


class CoUnitInline(ReadOnlyInline):
    model = SuggestionCoUnit
    fields = readonly_fields = ["unit", "due", "opinion", "opinion_at"]


class ReplyInline(ReadOnlyInline):
    model = SuggestionReply
    fields = readonly_fields = ["round", "representative", "category", "text", "replied_at"]


class RatingInline(ReadOnlyInline):
    model = SuggestionRating
    fields = readonly_fields = ["round", "representative", "rating", "note", "recorded_by"]


class SuggestionEventInline(EventInline):
    model = SuggestionEvent


@admin.register(Suggestion)
class SuggestionAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_function = suggestions_visible_to
    list_display = [
        "number",
        "title",
        "step",
        "lead_representative",
        "lead_unit",
        "deadline",
        "reply_category",
        "satisfaction",
        "is_key",
        "published",
    ]
    list_filter = [
        "step",
        "year",
        "session",
        "is_key",
        "reply_category",
        "satisfaction",
        "published",
        "excellent",
        RegionSubtreeFilter,
    ]
    search_fields = ["number", "title"]
    list_select_related = ["lead_representative", "lead_unit"]
    date_hierarchy = "filed_at"
    readonly_fields = ["deadline_text", "next_sweep_on"]
    inlines = [SignerInline, CoUnitInline, ReplyInline, RatingInline, SuggestionEventInline]

    @admin.display(description=_("how the deadline was computed"))
    def deadline_text(self, obj):
        return explain(obj.deadline_explanation)
