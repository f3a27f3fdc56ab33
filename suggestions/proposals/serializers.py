"""What the suggestion API reads out and takes in: the list and detail serializers, and one input
serializer per move (the services check the rules themselves)."""

from rest_framework import serializers

from liaison.base.input_guard import IdField
from suggestions.models import CaseCategory, HandlingUnit
from suggestions.proposals.flow import SUGGESTIONS
from suggestions.proposals.models import (
    ContactStage,
    ContactWay,
    KeyLeader,
    Rating,
    ReplyCategory,
    ReturnReason,
    Session,
    Suggestion,
    SuggestionEvent,
)
from suggestions.shared.deadlines import explain
from suggestions.shared.serializers import EventSerializer, FlowRowSerializer


class SuggestionSerializer(FlowRowSerializer):
    lead_representative_name = serializers.CharField(
        source="lead_representative.name", read_only=True
    )

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "number",
            "year",
            "title",
            "step",
            "step_label",
            "session",
            "source",
            "region",
            "region_name",
            "category",
            "category_name",
            "is_key",
            "key_leader",
            "lead_representative",
            "lead_representative_name",
            "lead_unit",
            "lead_unit_name",
            "co_units",
            "deadline",
            "overdue",
            "escalation_level",
            "round",
            "reply_category",
            "satisfaction",
            "rehandle_count",
            "published",
            "excellent",
            "filed_at",
            "assigned_at",
            "replied_at",
            "closed_at",
        ]


class SuggestionEventSerializer(EventSerializer):
    class Meta(EventSerializer.Meta):
        model = SuggestionEvent


class SuggestionDetailSerializer(SuggestionSerializer):
    signers = serializers.SerializerMethodField()
    co_unit_opinions = serializers.SerializerMethodField()
    replies = serializers.SerializerMethodField()
    ratings = serializers.SerializerMethodField()
    contacts = serializers.SerializerMethodField()
    deadline_text = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()
    timeline = SuggestionEventSerializer(source="events", many=True, read_only=True)

    class Meta(SuggestionSerializer.Meta):
        fields = [
            *SuggestionSerializer.Meta.fields,
            "content",
            "source_case",
            "key_leader_name",
            "return_reason",
            "handler_name",
            "handler_phone",
            "plan",
            "planned_reply_date",
            "extension",
            "extension_reason",
            "follow_up_until",
            "merged_into",
            "deadline_explanation",
            "deadline_text",
            "signers",
            "co_unit_opinions",
            "replies",
            "ratings",
            "contacts",
            "available_transitions",
            "timeline",
        ]

    def get_signers(self, s) -> list[dict]:
        return [
            {
                "representative": x.representative_id,
                "name": x.representative.name,
                "lead": x.is_lead,
            }
            for x in s.signings.all()
        ]

    def get_co_unit_opinions(self, s) -> list[dict]:
        return [
            {
                "unit": row.unit_id,
                "unit_name": row.unit.name,
                "due": row.due,
                "opinion": row.opinion,
                "opinion_at": row.opinion_at,
            }
            for row in s.co_unit_rows.all()
        ]

    def get_replies(self, s) -> list[dict]:
        return [
            {
                "round": r.round,
                "representative": r.representative_id,
                "name": r.representative.name,
                "category": r.category,
                "text": r.text,
                "replied_at": r.replied_at,
            }
            for r in s.replies.all()
        ]

    def get_ratings(self, s) -> list[dict]:
        return [
            {
                "round": r.round,
                "representative": r.representative_id,
                "rating": r.rating,
                "note": r.note,
                "rated_at": r.rated_at,
            }
            for r in s.ratings.all()
        ]

    def get_contacts(self, s) -> list[dict]:
        return [
            {"stage": c.stage, "way": c.way, "on": c.on, "note": c.note} for c in s.contacts.all()
        ]

    def get_deadline_text(self, s) -> str:
        return explain(s.deadline_explanation)

    def get_available_transitions(self, s) -> list[str]:
        return [t.name for t in SUGGESTIONS.available(self.context["request"].user, s)]


def _units():
    return HandlingUnit.objects.filter(active=True)


class SuggestionFileInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=10000)
    session = serializers.ChoiceField(choices=Session.choices)
    lead_representative = serializers.IntegerField(required=False)
    co_signers = serializers.ListField(child=serializers.IntegerField(), required=False)
    category = IdField(
        queryset=CaseCategory.objects.filter(active=True), required=False, default=None
    )
    source_case = serializers.IntegerField(required=False, default=None)


class SuggestionEmptyInput(serializers.Serializer):
    """A move with nothing to say (publish)."""


class SuggestionNoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class SuggestionRequiredNoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class SuggestionKeyInput(SuggestionNoteInput):
    is_key = serializers.BooleanField(required=False, allow_null=True, default=None)
    key_leader = serializers.ChoiceField(
        choices=KeyLeader.choices, required=False, allow_blank=True, default=""
    )
    key_leader_name = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )


class SuggestionAcceptInput(SuggestionKeyInput):
    category = IdField(
        queryset=CaseCategory.objects.filter(active=True), required=False, default=None
    )


class SuggestionReturnInput(SuggestionRequiredNoteInput):
    reason = serializers.ChoiceField(choices=ReturnReason.choices)


class SuggestionMergeInput(SuggestionNoteInput):
    into = serializers.IntegerField()


class SuggestionAssignInput(SuggestionKeyInput):
    lead_unit = IdField(queryset=_units())
    co_units = IdField(queryset=_units(), many=True, required=False, default=list)


class SuggestionReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class SuggestionStartInput(serializers.Serializer):
    handler_name = serializers.CharField(max_length=50)
    handler_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    plan = serializers.CharField(max_length=5000)
    planned_reply_date = serializers.DateField()


class SuggestionContactInput(serializers.Serializer):
    stage = serializers.ChoiceField(choices=ContactStage.choices)
    way = serializers.ChoiceField(choices=ContactWay.choices)
    on = serializers.DateField()
    note = serializers.CharField(max_length=2000)


class SuggestionOpinionInput(serializers.Serializer):
    opinion = serializers.CharField(max_length=5000)
    unit = IdField(queryset=_units(), required=False, default=None)


class SuggestionReplyInput(serializers.Serializer):
    category = serializers.ChoiceField(choices=ReplyCategory.choices)
    text = serializers.CharField(max_length=10000)
    per_signer = serializers.DictField(
        child=serializers.CharField(max_length=10000), required=False, default=dict
    )
    expected_by = serializers.DateField(required=False, default=None)


class SuggestionRateInput(SuggestionNoteInput):
    rating = serializers.ChoiceField(choices=Rating.choices)
    representative = serializers.IntegerField(required=False, default=None)


class SuggestionExcellentInput(serializers.Serializer):
    region = serializers.CharField(max_length=12)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    suggestions = serializers.ListField(child=serializers.IntegerField(), max_length=100)
