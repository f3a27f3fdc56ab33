"""Cases over REST: scoped lists with filters, detail with the timeline, one POST per move."""

import datetime as dt

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from liaison.base import regions
from liaison.base.api_moves import MoveEndpoints, target_in
from liaison.base.filtering import YesNoFilter
from liaison.base.jurisdiction import settings_for
from liaison.base.models import JurisdictionSettings
from stations.scopes import visits_visible_to
from suggestions.cases import selectors, services
from suggestions.cases.flow import CASES
from suggestions.cases.scopes import cases_visible_to
from suggestions.models import (
    Authority,
    Case,
    CaseCategory,
    CaseEvent,
    HandlingUnit,
    ReplyResult,
    Satisfaction,
    Step,
)
from suggestions.shared.deadlines import explain


class NewestFirst(CursorPagination):
    """Keyset pages: no COUNT(*) over a large table, stable while cases arrive."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 100


# READ


class CaseSerializer(serializers.ModelSerializer):
    step_label = serializers.CharField(source="get_step_display", read_only=True)
    category_name = serializers.CharField(source="category.name", default=None, read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    lead_unit_name = serializers.CharField(source="lead_unit.name", default=None, read_only=True)
    co_units = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

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

    def get_co_units(self, case) -> list[int]:
        return [unit.pk for unit in case.co_units.all()]

    def get_overdue(self, case) -> bool:
        return case.is_overdue()


class CaseEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = ["kind", "from_step", "to_step", "actor", "actor_name", "at", "note", "data"]

    def get_actor_name(self, event) -> str:
        if event.actor is None:
            return str(_("System"))
        return event.actor.get_full_name() or event.actor.first_name or event.actor.username


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
            "satisfaction",
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


# FILTERS


class DateInput(forms.DateInput):
    input_type = "date"


class CategorySelect(forms.Select):
    """The category id as a choice of the active categories, read when rendered."""

    def get_context(self, name, value, attrs):
        self.choices = [("", "---------")] + [
            (category.pk, category.name) for category in CaseCategory.objects.filter(active=True)
        ]
        return super().get_context(name, value, attrs)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class CaseFilter(django_filters.FilterSet):
    # Labels are for the staff pages, which render this same filterset as a form.
    step = django_filters.MultipleChoiceFilter(label=_("step"), choices=Step.choices)
    category = django_filters.NumberFilter(
        field_name="category_id", label=_("category"), widget=CategorySelect
    )
    station = django_filters.NumberFilter(field_name="station_id", label=_("station id"))
    # The code is checked by the form, so an API call gets a 400 and a staff page a field error.
    region = django_filters.CharFilter(
        method="filter_region", label=_("region and below"), validators=[regions.validate_code]
    )
    unit = django_filters.NumberFilter(method="filter_unit", label=_("lead or co-unit"))
    overdue = YesNoFilter(method="filter_overdue", label=_("overdue"))
    due_soon = YesNoFilter(method="filter_due_soon", label=_("due soon"))
    is_key = YesNoFilter(label=_("key case"))
    received_after = django_filters.DateFilter(
        method="filter_received_after", label=_("received from"), widget=DateInput
    )
    received_before = django_filters.DateFilter(
        method="filter_received_before", label=_("received until"), widget=DateInput
    )
    deadline_after = django_filters.DateFilter(
        field_name="deadline", lookup_expr="gte", label=_("deadline from"), widget=DateInput
    )
    deadline_before = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", label=_("deadline until"), widget=DateInput
    )

    class Meta:
        model = Case
        fields = []

    def filter_region(self, queryset, name, value):
        return queryset.filter(regions.within("region_id", regions.subtree_bounds(value)))

    def filter_unit(self, queryset, name, value):
        return selectors.handled_by(queryset, unit_id=value)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.overdue() if value else queryset.not_overdue()

    def filter_due_soon(self, queryset, name, value):
        if not value:
            return queryset
        region = self.data.get("region")
        rules = settings_for(region) if region else JurisdictionSettings()
        return selectors.due_soon(queryset, workdays=rules.due_soon_workdays)

    def filter_received_after(self, queryset, name, value):
        return queryset.filter(received_at__gte=_day_start(value))

    def filter_received_before(self, queryset, name, value):
        return queryset.filter(received_at__lt=_day_start(value + dt.timedelta(days=1)))


# MOVES


class ReceiveInput(serializers.Serializer):
    visit = serializers.IntegerField()
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)


class RegisterInput(serializers.Serializer):
    category = serializers.PrimaryKeyRelatedField(queryset=CaseCategory.objects.filter(active=True))
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
    unit = serializers.PrimaryKeyRelatedField(queryset=HandlingUnit.objects.filter(active=True))
    workdays = serializers.IntegerField(min_value=1, max_value=250, required=False, default=None)


class ReferInput(AssignInput):
    co_units = serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.filter(active=True), many=True, required=False, default=list
    )


class ReportInput(AssignInput):
    note = serializers.CharField(max_length=2000)


class AnswerInput(NoteInput):
    reply = serializers.CharField(max_length=5000)


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
    result = serializers.ChoiceField(
        choices=[c for c in ReplyResult.choices if c[0] != ReplyResult.ANSWERED]
    )
    reply = serializers.CharField(max_length=5000)


class FeedbackInput(RequiredNoteInput):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)


class ArchiveInput(NoteInput):
    public_summary = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    published = serializers.BooleanField(required=False, default=False)


class ReopenInput(RequiredNoteInput):
    unit = serializers.PrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.filter(active=True), required=False, default=None
    )
    workdays = serializers.IntegerField(min_value=1, max_value=250, required=False, default=None)


class MergeInput(NoteInput):
    into = serializers.IntegerField()


class WithdrawInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


MOVES = MoveEndpoints(
    id_argument="case_id",
    detail=selectors.case_detail,
    serializer_class=CaseDetailSerializer,
    missing=_("No such case in your scope"),
)
ERRORS = MOVES.errors
_move = MOVES.endpoint
_merge_target = target_in(cases_visible_to, field="into", missing=_("No such case."))


class CaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = NewestFirst
    filterset_class = CaseFilter

    def get_queryset(self):
        if self.action == "retrieve" or self.detail:
            return selectors.case_detail(user=self.request.user)
        return selectors.case_list(user=self.request.user)

    def get_serializer_class(self):
        if self.action in CASES:
            return super().get_serializer_class()
        if self.action == "create":
            return ReceiveInput
        return CaseDetailSerializer if self.action == "retrieve" else CaseSerializer

    @extend_schema(request=ReceiveInput, responses={201: CaseDetailSerializer, **ERRORS})
    def create(self, request):
        """接待: open a case on a visit you can see."""
        data = ReceiveInput(data=request.data)
        data.is_valid(raise_exception=True)
        visit = visits_visible_to(request.user).filter(pk=data.validated_data["visit"]).first()
        if visit is None:
            raise serializers.ValidationError({"visit": [_("No such visit.")]})
        case = services.case_receive(
            actor=request.user,
            visit=visit,
            title=data.validated_data["title"],
            description=data.validated_data["description"],
        )
        fresh = selectors.case_detail(user=request.user).get(pk=case.pk)
        body = CaseDetailSerializer(fresh, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    register = _move("register", RegisterInput, services.case_register)
    assign_on_spot = _move("assign_on_spot", AssignInput, services.case_assign_on_spot)
    refer_by_letter = _move("refer_by_letter", ReferInput, services.case_refer_by_letter)
    report_to_township = _move("report_to_township", ReportInput, services.case_report_to_township)
    to_suggestion = _move("to_suggestion", NoteInput, services.case_to_suggestion)
    answer_consultation = _move(
        "answer_consultation", AnswerInput, services.case_answer_consultation
    )
    supervise = _move("supervise", SuperviseInput, services.case_supervise)
    set_plan = _move("set_plan", SetPlanInput, services.case_set_plan)
    request_extension = _move("request_extension", ExtensionInput, services.case_request_extension)
    approve_extension = _move("approve_extension", NoteInput, services.case_approve_extension)
    refuse_extension = _move("refuse_extension", RequiredNoteInput, services.case_refuse_extension)
    reply = _move("reply", ReplyInput, services.case_reply)
    feedback = _move("feedback", FeedbackInput, services.case_feedback)
    archive = _move("archive", ArchiveInput, services.case_archive)
    reopen = _move("reopen", ReopenInput, services.case_reopen)
    merge = _move("merge", MergeInput, services.case_merge, prepare=_merge_target)
    withdraw = _move("withdraw", WithdrawInput, services.case_withdraw)
