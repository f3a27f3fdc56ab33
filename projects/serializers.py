"""The API's shapes of livelihood projects and votes, and the inputs of each move. Input
fields are the services' keywords; the services check the rules (one check for the
staff forms and the API)."""

from rest_framework import serializers

from projects.flow import PROJECTS
from projects.models import (
    Milestone,
    ProgressReport,
    Project,
    ProjectRating,
    RatingPeriod,
    Tally,
    Vote,
)
from suggestions.models import HandlingUnit, Satisfaction


class ProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Project
        fields = [
            "id",
            "year",
            "region",
            "title",
            "category",
            "estimated_cost",
            "source",
            "step",
            "left_out_reason",
            "vote",
            "unit",
            "budget",
            "progress",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_on"]


class ReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReport
        fields = ["id", "text", "progress", "at"]


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectRating
        fields = ["id", "representative", "period", "rating", "comment", "at"]


class ProjectDetailSerializer(ProjectSerializer):
    description = serializers.CharField()
    milestones = MilestoneSerializer(many=True, read_only=True)
    reports = ReportSerializer(many=True, read_only=True)
    ratings = RatingSerializer(many=True, read_only=True)
    supervisors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    moves = serializers.SerializerMethodField()

    class Meta(ProjectSerializer.Meta):
        fields = [
            *ProjectSerializer.Meta.fields,
            "description",
            "supervisors",
            "milestones",
            "reports",
            "ratings",
            "moves",
        ]

    def get_moves(self, project) -> list[str]:
        return [t.name for t in PROJECTS.available(self.context["request"].user, project)]


class ProjectEmptyInput(serializers.Serializer):
    pass


class ProjectEditInput(serializers.Serializer):
    title = serializers.CharField(allow_blank=True, max_length=200)
    description = serializers.CharField(allow_blank=True, required=False)
    category = serializers.CharField()
    estimated_cost = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True
    )


class ProjectReasonInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=500)


class ProjectAssignInput(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=HandlingUnit.objects.all())
    budget = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True
    )
    supervisors = serializers.ListField(child=serializers.IntegerField(), required=False)


class ProjectMilestoneInput(serializers.Serializer):
    title = serializers.CharField(allow_blank=True, max_length=200)
    due_on = serializers.DateField()


class ProjectReportInput(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    progress = serializers.IntegerField()
    milestone_id = serializers.IntegerField(required=False, allow_null=True)


class ProjectRateInput(serializers.Serializer):
    period = serializers.ChoiceField(choices=RatingPeriod.choices)
    rating = serializers.ChoiceField(choices=Satisfaction.choices)
    comment = serializers.CharField(allow_blank=True, max_length=500, required=False)


class TallySerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="project.title")

    class Meta:
        model = Tally
        fields = [
            "project",
            "title",
            "votes_for",
            "against",
            "abstain",
            "invalid",
            "passed",
            "adopted",
            "rank",
        ]


class VoteSerializer(serializers.ModelSerializer):
    tallies = TallySerializer(many=True, read_only=True)

    class Meta:
        model = Vote
        fields = [
            "id",
            "region",
            "year",
            "session",
            "kind",
            "pass_rule",
            "seats",
            "members",
            "present",
            "status",
            "published_at",
            "tallies",
        ]


class ProjectCountInput(serializers.Serializer):
    """``{"counts": {"<project id>": {"votes_for": 80, "against": 5, "abstain": 2, "invalid": 1}}}``."""

    counts = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField(min_value=0))
    )


class ProjectBallotInput(serializers.Serializer):
    """``{"choices": {"<project id>": "for" | "against" | "abstain"}}``."""

    choices = serializers.DictField(child=serializers.CharField())
