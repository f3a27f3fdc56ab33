"""Livelihood projects over REST: the projects in the user's scope with one POST per move
(liaison/base/api_moves.py), and the votes: the tellers' count, an electronic ballot,
publication."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from liaison.base.api_moves import MoveEndpoints
from liaison.base.pagination import NewestFirst
from projects.scopes import projects_visible_to, votes_visible_to
from projects.serializers import (
    ProjectAssignInput,
    ProjectBallotInput,
    ProjectCountInput,
    ProjectDetailSerializer,
    ProjectEditInput,
    ProjectEmptyInput,
    ProjectMilestoneInput,
    ProjectRateInput,
    ProjectReasonInput,
    ProjectReportInput,
    ProjectSerializer,
    VoteSerializer,
)
from projects.services import delivery, screening, votes


def project_detail(*, user):
    return projects_visible_to(user).prefetch_related(
        "milestones", "reports", "ratings", "supervisors"
    )


MOVES = MoveEndpoints(
    id_argument="project_id",
    detail=project_detail,
    serializer_class=ProjectDetailSerializer,
    missing=_("No such project in your scope"),
)
_move = MOVES.endpoint


def _int_keys(name):
    def prepare(request, kwargs):
        try:
            kwargs[name] = {int(k): v for k, v in kwargs[name].items()}
        except ValueError as error:
            raise serializers.ValidationError(
                {name: [_("Key each entry by the candidate's project id.")]}
            ) from error
        return kwargs

    return prepare


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = NewestFirst

    def get_queryset(self):
        if self.action == "list":
            return projects_visible_to(self.request.user)
        return project_detail(user=self.request.user)

    def get_serializer_class(self):
        return ProjectSerializer if self.action == "list" else ProjectDetailSerializer

    shortlist = _move("shortlist", ProjectEmptyInput, screening.project_shortlist)
    leave_out = _move("leave_out", ProjectReasonInput, screening.project_leave_out)
    edit = _move("edit", ProjectEditInput, screening.project_edit)
    assign = _move("assign", ProjectAssignInput, delivery.project_assign)
    milestone = _move("milestone", ProjectMilestoneInput, delivery.milestone_add)
    report = _move("report", ProjectReportInput, delivery.progress_report)
    complete = _move("complete", ProjectEmptyInput, delivery.project_complete)
    rate = _move("rate", ProjectRateInput, delivery.project_rate)


class VoteViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = VoteSerializer
    pagination_class = NewestFirst

    def get_queryset(self):
        return votes_visible_to(self.request.user).prefetch_related("tallies__project")

    def _answer(self, request, pk):
        return Response(VoteSerializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=ProjectCountInput, responses={200: VoteSerializer, **MOVES.errors})
    @action(detail=True, methods=["post"], serializer_class=ProjectCountInput)
    def count(self, request, pk=None):
        """The tellers' count of the paper ballots, per candidate."""
        vote = self.get_object()
        data = ProjectCountInput(data=request.data)
        data.is_valid(raise_exception=True)
        counts = _int_keys("counts")(request, dict(data.validated_data))["counts"]
        votes.tally_enter(vote_id=vote.pk, actor=request.user, counts=counts)
        return self._answer(request, vote.pk)

    @extend_schema(request=ProjectBallotInput, responses={200: VoteSerializer, **MOVES.errors})
    @action(detail=True, methods=["post"], serializer_class=ProjectBallotInput)
    def cast(self, request, pk=None):
        """A representative's one electronic ballot (stored without the voter)."""
        vote = self.get_object()
        data = ProjectBallotInput(data=request.data)
        data.is_valid(raise_exception=True)
        choices = _int_keys("choices")(request, dict(data.validated_data))["choices"]
        votes.ballot_cast(vote_id=vote.pk, actor=request.user, choices=choices)
        return self._answer(request, vote.pk)

    @extend_schema(request=ProjectEmptyInput, responses={200: VoteSerializer, **MOVES.errors})
    @action(detail=True, methods=["post"], serializer_class=ProjectEmptyInput)
    def publish(self, request, pk=None):
        """Count, apply the pass rule and the number of projects, publish the result."""
        vote = self.get_object()
        votes.vote_publish(vote_id=vote.pk, actor=request.user)
        return self._answer(request, vote.pk)
