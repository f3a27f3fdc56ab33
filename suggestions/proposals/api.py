"""Suggestions over REST, in the style of the case API: scoped lists with filters,
detail with the timeline, one POST per move, reports and the Excel ledger."""

import django_filters
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from liaison.base.api_moves import MoveEndpoints, target_in
from liaison.base.filtering import YesNoFilter
from liaison.base.scopes import scope_of
from representatives.models import Representative
from stations.scopes import representatives_visible_to
from suggestions.cases.api import CategorySelect
from suggestions.models import CaseCategory, HandlingUnit
from suggestions.proposals import ledger, reports, selectors, services
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
    SuggestionStep,
)
from suggestions.shared.deadlines import explain


class NewestFirst(CursorPagination):
    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 100


# READ


class SuggestionSerializer(serializers.ModelSerializer):
    step_label = serializers.CharField(source="get_step_display", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    category_name = serializers.CharField(source="category.name", default=None, read_only=True)
    lead_representative_name = serializers.CharField(
        source="lead_representative.name", read_only=True
    )
    lead_unit_name = serializers.CharField(source="lead_unit.name", default=None, read_only=True)
    co_units = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

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

    def get_co_units(self, suggestion) -> list[int]:
        return [unit.pk for unit in suggestion.co_units.all()]

    def get_overdue(self, suggestion) -> bool:
        return suggestion.is_overdue()


class SuggestionEventSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = SuggestionEvent
        fields = ["kind", "from_step", "to_step", "actor", "actor_name", "at", "note", "data"]

    def get_actor_name(self, event) -> str:
        if event.actor is None:
            return str(_("System"))
        return event.actor.get_full_name() or event.actor.first_name or event.actor.username


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


# FILTERS


class SuggestionFilter(django_filters.FilterSet):
    """The API's filters, also the staff lists' (hence the labels)."""

    step = django_filters.MultipleChoiceFilter(label=_("step"), choices=SuggestionStep.choices)
    year = django_filters.NumberFilter(label=_("year"))
    session = django_filters.ChoiceFilter(label=_("filed"), choices=Session.choices)
    category = django_filters.NumberFilter(
        field_name="category_id", label=_("category"), widget=CategorySelect
    )
    unit = django_filters.NumberFilter(method="filter_unit", label=_("lead or co-unit"))
    representative = django_filters.NumberFilter(
        method="filter_representative", label=_("signed by (representative id)")
    )
    is_key = YesNoFilter(label=_("key suggestion"))
    published = YesNoFilter(label=_("published"))
    excellent = YesNoFilter(label=_("excellent suggestion of the year"))
    overdue = YesNoFilter(method="filter_overdue", label=_("overdue"))
    number = django_filters.CharFilter(label=_("number"))

    class Meta:
        model = Suggestion
        fields = []

    def filter_unit(self, queryset, name, value):
        return selectors.handled_by(queryset, unit_id=value)

    def filter_representative(self, queryset, name, value):
        return selectors.signed_by(queryset, representative_id=value)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.overdue() if value else queryset.not_overdue()


# MOVES


def _units():
    return HandlingUnit.objects.filter(active=True)


class SuggestionFileInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=10000)
    session = serializers.ChoiceField(choices=Session.choices)
    lead_representative = serializers.IntegerField(required=False)
    co_signers = serializers.ListField(child=serializers.IntegerField(), required=False)
    category = serializers.PrimaryKeyRelatedField(
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
    category = serializers.PrimaryKeyRelatedField(
        queryset=CaseCategory.objects.filter(active=True), required=False, default=None
    )


class SuggestionReturnInput(SuggestionRequiredNoteInput):
    reason = serializers.ChoiceField(choices=ReturnReason.choices)


class SuggestionMergeInput(SuggestionNoteInput):
    into = serializers.IntegerField()


class SuggestionAssignInput(SuggestionKeyInput):
    lead_unit = serializers.PrimaryKeyRelatedField(queryset=_units())
    co_units = serializers.PrimaryKeyRelatedField(
        queryset=_units(), many=True, required=False, default=list
    )


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
    unit = serializers.PrimaryKeyRelatedField(queryset=_units(), required=False, default=None)


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


MOVES = MoveEndpoints(
    id_argument="suggestion_id",
    detail=selectors.suggestion_detail,
    serializer_class=SuggestionDetailSerializer,
    missing=_("No such suggestion in your scope"),
)
ERRORS = MOVES.errors
_move = MOVES.endpoint
_merge_target = target_in(
    lambda user: selectors.suggestion_list(user=user),
    field="into",
    missing=_("No such suggestion."),
)


def _rated_representative(request, kwargs):
    rep_id = kwargs.pop("representative")
    if rep_id is not None:
        kwargs["representative"] = Representative.objects.filter(pk=rep_id).first()
        if kwargs["representative"] is None:
            raise serializers.ValidationError({"representative": [_("No such representative.")]})
    return kwargs


def _signer_keys(request, kwargs):
    try:
        kwargs["per_signer"] = {int(k): v for k, v in kwargs["per_signer"].items()}
    except ValueError as error:
        raise serializers.ValidationError(
            {"per_signer": [_("Key each text by the representative's id.")]}
        ) from error
    return kwargs


def _representatives(user, ids) -> dict[int, Representative]:
    """Signers the user may name: representatives in scope, or published ones."""
    found = Representative.objects.filter(pk__in=ids).filter(
        pk__in=representatives_visible_to(user).values("pk")
    ) | Representative.objects.filter(pk__in=ids, published=True)
    return {rep.pk: rep for rep in found}


class SuggestionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = NewestFirst
    filterset_class = SuggestionFilter

    def get_queryset(self):
        if self.action == "retrieve" or self.detail:
            return selectors.suggestion_detail(user=self.request.user)
        return selectors.suggestion_list(user=self.request.user)

    def get_serializer_class(self):
        if (self.action or "").rstrip("_") in SUGGESTIONS:
            return super().get_serializer_class()
        if self.action == "create":
            return SuggestionFileInput
        if self.action == "retrieve":
            return SuggestionDetailSerializer
        return SuggestionSerializer

    @extend_schema(
        request=SuggestionFileInput, responses={201: SuggestionDetailSerializer, **ERRORS}
    )
    def create(self, request):
        """File a suggestion: as yourself, or (committee) for a representative."""
        data = SuggestionFileInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        lead_id = values.get("lead_representative") or scope_of(request.user).representative_id
        wanted = [lead_id, *values.get("co_signers", [])]
        known = _representatives(request.user, [i for i in wanted if i])
        if lead_id not in known:
            raise serializers.ValidationError(
                {"lead_representative": [_("Choose the representative who files it.")]}
            )
        missing = [i for i in values.get("co_signers", []) if i not in known]
        if missing:
            raise serializers.ValidationError({"co_signers": [_("No such representative.")]})
        suggestion = services.suggestion_file(
            actor=request.user,
            lead_representative=known[lead_id],
            co_signers=[known[i] for i in values.get("co_signers", [])],
            title=values["title"],
            content=values["content"],
            session=values["session"],
            category=values["category"],
            source_case_id=values["source_case"],
        )
        fresh = selectors.suggestion_detail(user=request.user).get(pk=suggestion.pk)
        body = SuggestionDetailSerializer(fresh, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    accept = _move("accept", SuggestionAcceptInput, services.suggestion_accept)
    return_ = _move("return", SuggestionReturnInput, services.suggestion_return)
    merge = _move("merge", SuggestionMergeInput, services.suggestion_merge, prepare=_merge_target)
    assign = _move("assign", SuggestionAssignInput, services.suggestion_assign)
    send_back = _move("send_back", SuggestionReasonInput, services.suggestion_send_back)
    start = _move("start", SuggestionStartInput, services.suggestion_start)
    record_contact = _move(
        "record_contact", SuggestionContactInput, services.suggestion_record_contact
    )
    counit_opinion = _move(
        "counit_opinion", SuggestionOpinionInput, services.suggestion_counit_opinion
    )
    request_extension = _move(
        "request_extension", SuggestionReasonInput, services.suggestion_request_extension
    )
    approve_extension = _move(
        "approve_extension", SuggestionNoteInput, services.suggestion_approve_extension
    )
    refuse_extension = _move(
        "refuse_extension", SuggestionRequiredNoteInput, services.suggestion_refuse_extension
    )
    reply = _move("reply", SuggestionReplyInput, services.suggestion_reply, prepare=_signer_keys)
    rate = _move(
        "rate", SuggestionRateInput, services.suggestion_rate, prepare=_rated_representative
    )
    rehandle = _move("rehandle", SuggestionRequiredNoteInput, services.suggestion_rehandle)
    follow_up = _move("follow_up", SuggestionNoteInput, services.suggestion_follow_up)
    close = _move("close", SuggestionNoteInput, services.suggestion_close)
    publish = _move("publish", SuggestionEmptyInput, services.suggestion_publish)
    unpublish = _move("unpublish", SuggestionRequiredNoteInput, services.suggestion_unpublish)

    @extend_schema(
        request=SuggestionExcellentInput, responses={200: SuggestionSerializer(many=True)}
    )
    @action(detail=False, methods=["post"], url_path="select-excellent")
    def select_excellent(self, request):
        """The year's excellent suggestions of a congress (at most ten)."""
        data = SuggestionExcellentInput(data=request.data)
        data.is_valid(raise_exception=True)
        chosen = services.suggestions_select_excellent(
            actor=request.user,
            region_code=data.validated_data["region"],
            year=data.validated_data["year"],
            suggestion_ids=data.validated_data["suggestions"],
        )
        return Response(SuggestionSerializer(chosen, many=True).data)

    @extend_schema(responses={200: OpenApiResponse(description=_("Figures by unit"))})
    @action(detail=False, methods=["get"], url_path="report/units")
    def report_units(self, request):
        """By lead unit: count, on-time reply rate, satisfaction rate, re-handled."""
        queryset = self.filter_queryset(selectors.suggestion_list(user=request.user))
        return Response({"totals": reports.totals(queryset), "units": reports.by_unit(queryset)})

    @extend_schema(responses={200: OpenApiResponse(description=_("Figures by year and category"))})
    @action(detail=False, methods=["get"], url_path="report/years")
    def report_years(self, request):
        """By year and category."""
        queryset = self.filter_queryset(selectors.suggestion_list(user=request.user))
        return Response({"rows": reports.by_year_and_category(queryset)})

    @extend_schema(responses={200: OpenApiResponse(description=_("An Excel workbook"))})
    @action(detail=False, methods=["get"], url_path="ledger")
    def ledger(self, request):
        """The ledger (办理台账) of the suggestions in your scope, as Excel."""
        queryset = self.filter_queryset(selectors.suggestion_list(user=request.user))
        response = HttpResponse(
            ledger.ledger_workbook(queryset),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="suggestion-ledger.xlsx"'
        return response
