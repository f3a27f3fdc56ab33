"""Cases over REST: scoped lists with filters, detail with the timeline, one POST per move."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from liaison.base.api_moves import MoveEndpoints, target_in
from liaison.base.audit import audit_read
from liaison.base.filtering import filters_asked
from liaison.base.pagination import NewestFirst
from stations.scopes import visits_visible_to
from suggestions.cases import selectors, services
from suggestions.cases.filters import CaseFilter
from suggestions.cases.flow import CASES
from suggestions.cases.handled import HandledByUnits
from suggestions.cases.scopes import cases_visible_to
from suggestions.cases.search import audit_person_search
from suggestions.cases.serializers import (
    AnswerInput,
    ArchiveInput,
    AssignInput,
    CallbackInput,
    CaseDetailSerializer,
    CaseSerializer,
    ConcludeInput,
    ExtensionInput,
    FeedbackInput,
    MergeInput,
    NoteInput,
    PublicReplyInput,
    ReceiveInput,
    ReferInput,
    RegisterInput,
    ReopenInput,
    ReplyInProgressInput,
    ReplyInput,
    ReportInput,
    RequiredNoteInput,
    SendBackInput,
    SetPlanInput,
    SuperviseInput,
    WithdrawInput,
    case_rows_json,
)

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
        if self.action == "list":
            return selectors.case_rows(user=self.request.user)
        return selectors.case_list(user=self.request.user)

    def list(self, request, *args, **kwargs):
        """A keyset page of rows fetched as values with their names (two queries), written
        by ``case_row_json`` in ``CaseSerializer``'s shape: no model instance per row. A
        unit's two halves (``HandledByUnits``) read their page's rows the same way."""
        # (The docstring is the schema's description.) Unfiltered, as clients open it, the
        # list's SQL is built once per scope and page shape, not on every request.
        if not filters_asked(CaseFilter, request.GET):
            rows = selectors.listed_rows(user=request.user)
        else:
            cases = self.filter_queryset(self.get_queryset())
            if isinstance(cases, HandledByUnits):
                rows = cases.read_as(selectors.row_values)
            else:
                rows = selectors.row_values(cases)
        page = self.paginate_queryset(rows)
        rows = selectors.rows_completed(page)
        audit_person_search(request, [row["id"] for row in rows], where="case API list")
        return self.get_paginated_response(case_rows_json(rows))

    def filter_queryset(self, queryset):
        # A unit's list (selectors.case_rows) is filtered through the cases it wraps.
        if isinstance(queryset, HandledByUnits):
            return queryset.narrowed(super().filter_queryset)
        return super().filter_queryset(queryset)

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit_read(request, object_type="suggestions.case", object_id=kwargs["pk"], detail="api")
        return response

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
    send_back = _move("send_back", SendBackInput, services.case_send_back)
    reply = _move("reply", ReplyInput, services.case_reply)
    reply_in_progress = _move(
        "reply_in_progress", ReplyInProgressInput, services.case_reply_in_progress
    )
    edit_public_reply = _move(
        "edit_public_reply", PublicReplyInput, services.case_edit_public_reply
    )
    record_callback = _move("record_callback", CallbackInput, services.case_record_callback)
    conclude = _move("conclude", ConcludeInput, services.case_conclude)
    conclude_follow_up = _move("conclude_follow_up", ConcludeInput, services.case_conclude)
    feedback = _move("feedback", FeedbackInput, services.case_feedback)
    archive = _move("archive", ArchiveInput, services.case_archive)
    reopen = _move("reopen", ReopenInput, services.case_reopen)
    merge = _move("merge", MergeInput, services.case_merge, prepare=_merge_target)
    withdraw = _move("withdraw", WithdrawInput, services.case_withdraw)
