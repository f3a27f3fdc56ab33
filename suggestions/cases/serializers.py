"""What the case API reads out and takes in: the list and detail serializers, and one input
serializer per move (the services check the rules themselves)."""

from django.utils import timezone
from rest_framework import serializers

from liaison.base.input_guard import IdField
from suggestions.cases import services
from suggestions.cases.flow import CASES
from suggestions.models import (
    Authority,
    Case,
    CaseCategory,
    CaseEvent,
    HandlingUnit,
    ReplyResult,
    Satisfaction,
)
from suggestions.shared.deadlines import explain
from suggestions.shared.serializers import EventSerializer, FlowRowSerializer


class CaseSerializer(FlowRowSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "tracking_code",
            "title",
            "step",
            "step_label",
            "category",
            "category_name",
            "authority",
            "disposition",
            "station",
            "station_name",
            "region",
            "region_name",
            "lead_unit",
            "lead_unit_name",
            "co_units",
            "deadline",
            "overdue",
            "escalation_level",
            "is_key",
            "published",
            "received_at",
            "registered_at",
            "replied_at",
            "closed_at",
        ]


def _datetime(value, zone) -> str | None:
    """As DRF's DateTimeField writes it: ISO 8601 in the current time zone, UTC as Z."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _date(value) -> str | None:
    return None if value is None else value.isoformat()


def case_rows_json(rows: list[dict]) -> list[dict]:
    """Rows of the case list as ``CaseSerializer`` writes them (same fields, order and
    formats), from dicts of ``selectors.rows_completed``: a list of 50 skips the
    serializer's per-field machinery, its schema stays ``CaseSerializer``'s."""
    zone = timezone.get_current_timezone()
    return [case_row_json(row, zone) for row in rows]


def case_row_json(row: dict, zone) -> dict:
    return {
        "id": row["id"],
        "tracking_code": row["tracking_code"],
        "title": row["title"],
        "step": row["step"],
        "step_label": row["step_label"],
        "category": row["category_id"],
        "category_name": row["category_name"],
        "authority": row["authority"],
        "disposition": row["disposition"],
        "station": row["station_id"],
        "station_name": row["station_name"],
        "region": row["region_id"],
        "region_name": row["region_name"],
        "lead_unit": row["lead_unit_id"],
        "lead_unit_name": row["lead_unit_name"],
        "co_units": row["co_units"],
        "deadline": _date(row["deadline"]),
        "overdue": row["overdue"],
        "escalation_level": row["escalation_level"],
        "is_key": row["is_key"],
        "published": row["published"],
        "received_at": _datetime(row["received_at"], zone),
        "registered_at": _datetime(row["registered_at"], zone),
        "replied_at": _datetime(row["replied_at"], zone),
        "closed_at": _datetime(row["closed_at"], zone),
    }


class CaseEventSerializer(EventSerializer):
    class Meta(EventSerializer.Meta):
        model = CaseEvent


class CaseDetailSerializer(CaseSerializer):
    timeline = CaseEventSerializer(source="events", many=True, read_only=True)
    deadline_text = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [
            *CaseSerializer.Meta.fields,
            "visit",
            "description",
            "result",
            "reply",
            "public_reply",
            "satisfaction",
            "conclusion",
            "concluded_at",
            "send_back_until",
            "public_summary",
            "extension_until",
            "extension_reason",
            "merged_into",
            "reopen_count",
            "deadline_explanation",
            "deadline_text",
            "available_transitions",
            "timeline",
        ]

    def get_deadline_text(self, case) -> str:
        return explain(case.deadline_explanation)

    def get_available_transitions(self, case) -> list[str]:
        return [t.name for t in CASES.available(self.context["request"].user, case)]


class ReceiveInput(serializers.Serializer):
    visit = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)


class RegisterInput(serializers.Serializer):
    category = IdField(queryset=CaseCategory.objects.filter(active=True))
    authority = serializers.ChoiceField(choices=Authority.choices)
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=5000, required=False)
    is_key = serializers.BooleanField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class NoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RequiredNoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000)


class AssignInput(NoteInput):
    unit = IdField(queryset=HandlingUnit.objects.filter(active=True))
    workdays = serializers.IntegerField(min_value=1, max_value=250, required=False, default=None)


class ReferInput(AssignInput):
    co_units = IdField(
        queryset=HandlingUnit.objects.filter(active=True), many=True, required=False, default=list
    )


class ReportInput(AssignInput):
    note = serializers.CharField(max_length=2000)


class AnswerInput(NoteInput):
    reply = serializers.CharField(max_length=5000)
    public_reply = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default=""
    )


class SuperviseInput(RequiredNoteInput):
    is_key = serializers.BooleanField(required=False, allow_null=True, default=None)
    meeting = serializers.BooleanField(required=False, default=False)
    escalation_level = serializers.IntegerField(
        min_value=0, max_value=services.MAX_ESCALATION_LEVEL, required=False, default=None
    )


class SetPlanInput(serializers.Serializer):
    handler = serializers.CharField(max_length=50)
    plan = serializers.CharField(max_length=2000)


class ExtensionInput(serializers.Serializer):
    until = serializers.DateField()
    reason = serializers.CharField(max_length=500)


class ReplyInput(serializers.Serializer):
    result = serializers.ChoiceField(choices=[ReplyResult.SOLVED, ReplyResult.CANNOT])
    reply = serializers.CharField(max_length=5000)
    public_reply = serializers.CharField(max_length=5000)


class ReplyInProgressInput(serializers.Serializer):
    reply = serializers.CharField(max_length=5000)
    public_reply = serializers.CharField(max_length=5000)
    next_reply_on = serializers.DateField()


class PublicReplyInput(NoteInput):
    public_reply = serializers.CharField(max_length=5000)


class SendBackInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ConcludeInput(serializers.Serializer):
    conclusion = serializers.CharField(max_length=2000)


class CallbackInput(serializers.Serializer):
    reached = serializers.BooleanField()
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices, required=False, allow_blank=True, default=""
    )
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class FeedbackInput(RequiredNoteInput):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)


class ArchiveInput(NoteInput):
    public_summary = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    published = serializers.BooleanField(required=False, default=False)


class ReopenInput(RequiredNoteInput):
    unit = IdField(queryset=HandlingUnit.objects.filter(active=True), required=False, default=None)
    workdays = serializers.IntegerField(min_value=1, max_value=250, required=False, default=None)


class MergeInput(NoteInput):
    into = serializers.IntegerField()


class WithdrawInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
