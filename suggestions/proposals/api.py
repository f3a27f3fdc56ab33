"""Suggestions over REST, in the style of the case API: scoped lists with filters,
detail with the timeline, one POST per move, reports and the Excel ledger."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from liaison.base.api_moves import MoveEndpoints, target_in
from liaison.base.pagination import NewestFirst
from liaison.base.scopes import scope_of
from representatives.models import Representative
from stations.scopes import representatives_visible_to
from suggestions.proposals import ledger, reports, selectors, services
from suggestions.proposals.filters import SuggestionFilter
from suggestions.proposals.flow import SUGGESTIONS
from suggestions.proposals.serializers import (
    SuggestionAcceptInput,
    SuggestionAssignInput,
    SuggestionContactInput,
    SuggestionDetailSerializer,
    SuggestionEmptyInput,
    SuggestionExcellentInput,
    SuggestionFileInput,
    SuggestionMergeInput,
    SuggestionNoteInput,
    SuggestionOpinionInput,
    SuggestionRateInput,
    SuggestionReasonInput,
    SuggestionReplyInput,
    SuggestionRequiredNoteInput,
    SuggestionReturnInput,
    SuggestionSerializer,
    SuggestionStartInput,
)

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
