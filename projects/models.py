"""Livelihood projects decided by the congress's vote (民生实事项目票决制).

A ``Project`` is one topic (议题) from the day it is collected to the day it is rated:
collected → shortlisted (or left out, with the reason) → adopted or not by the vote →
in progress → completed. A ``Vote`` is one congress session's secret ballot over a
region's candidate list for a year: paper ballots counted by the tellers into one
``Tally`` per candidate, or electronic ``Ballot`` rows that hold no voter (who took a
ballot is a separate ``BallotIssued`` row, so no one votes twice).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.base.history import Event
from liaison.base.models import Region
from liaison.base.validators import validate_plain_text
from representatives.models import Representative
from stations.models import Station
from suggestions.models import Case, HandlingUnit, Satisfaction, Suggestion


class Category(models.TextChoices):
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    AGRICULTURE = "agriculture", _("Agriculture")
    WATER = "water", _("Water")
    ENVIRONMENT = "environment", _("Environment")
    TRANSPORT = "transport", _("Roads and transport")
    ELDERLY = "elderly", _("Care of the elderly")
    OTHER = "other", _("Other")


class Source(models.TextChoices):
    CASE = "case", _("Cases raised at the stations")
    SUGGESTION = "suggestion", _("A representative suggestion")
    REPRESENTATIVE = "representative", _("A representative")
    STATION = "station", _("A station")
    PUBLIC = "public", _("The public site")
    COMMITTEE = "committee", _("The committee")


class Step(models.TextChoices):
    # Collected (征集), not yet screened.
    COLLECTED = "collected", _("Collected")
    # On the candidate list of its region's vote (候选项目).
    SHORTLISTED = "shortlisted", _("Candidate")
    # Screened out by the committee with the government, with the reason.
    LEFT_OUT = "left_out", _("Not put to the vote")
    # Passed the vote within the number of projects (票决通过).
    ADOPTED = "adopted", _("Adopted by the vote")
    # Did not pass, or fell outside the number of projects.
    NOT_ADOPTED = "not_adopted", _("Not adopted")
    # Assigned to its responsible unit, being carried out.
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


# Steps a project is in once the vote adopted it.
DELIVERY_STEPS = frozenset({Step.ADOPTED, Step.IN_PROGRESS, Step.COMPLETED})
# Steps the public pages list (a topic collected but not screened is not yet published).
PUBLIC_STEPS = frozenset(set(Step.values) - {Step.COLLECTED})


class Project(models.Model):
    year = models.PositiveSmallIntegerField(_("year"))
    # The region whose congress votes on it: a county or a township.
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    description = models.TextField(_("description"), blank=True, validators=[validate_plain_text])
    category = models.CharField(_("category"), max_length=15, choices=Category)
    estimated_cost = models.DecimalField(
        _("estimated cost (10,000 yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=15, choices=Source)
    cases = models.ManyToManyField(
        Case, verbose_name=_("cases"), blank=True, related_name="livelihood_projects"
    )
    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="livelihood_projects",
    )
    proposer = models.ForeignKey(
        Representative,
        verbose_name=_("proposed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposed_projects",
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    # A topic from the public site: the person's name and phone, for staff in scope only.
    contact_name = models.CharField(_("contact name"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    step = models.CharField(_("step"), max_length=15, choices=Step, default=Step.COLLECTED)
    left_out_reason = models.CharField(_("reason left out"), max_length=500, blank=True)
    vote = models.ForeignKey(
        "Vote",
        verbose_name=_("vote"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="candidates",
    )
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    budget = models.DecimalField(
        _("budget (10,000 yuan)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    supervisors = models.ManyToManyField(
        Representative,
        verbose_name=_("supervising representatives"),
        blank=True,
        related_name="supervised_projects",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("livelihood project")
        verbose_name_plural = _("livelihood projects")
        ordering = ["-year", "region_id", "id"]
        indexes = [
            # The public list and the figures: a region's subtree, a year, a step.
            models.Index(fields=["year", "region", "step"], name="project_year_region_idx"),
            models.Index(fields=["unit", "step"], name="project_unit_step_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="project_progress_at_most_100"
            ),
            models.CheckConstraint(
                condition=~models.Q(step="left_out") | ~models.Q(left_out_reason=""),
                name="project_left_out_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectEvent(Event):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="events"
    )
    from_step = models.CharField(_("from"), max_length=15, choices=Step, blank=True)
    to_step = models.CharField(_("to"), max_length=15, choices=Step, blank=True)

    class Meta(Event.Meta):
        verbose_name = _("project event")
        verbose_name_plural = _("project events")
        indexes = [models.Index(fields=["project", "at"], name="project_event_at_idx")]


class BallotKind(models.TextChoices):
    PAPER = "paper", _("Paper ballots counted by the tellers")
    ELECTRONIC = "electronic", _("Electronic ballot on the session's devices")


class PassRule(models.TextChoices):
    # 获得全体代表的过半数选票 (the usual rule of the voting methods).
    ALL = "all", _("More than half of all representatives")
    PRESENT = "present", _("More than half of the representatives present")


class VoteStatus(models.TextChoices):
    # Candidates fixed; ballots being cast or counts being entered.
    OPEN = "open", _("Voting")
    # Counted and published: the result never changes (corrections are new events).
    PUBLISHED = "published", _("Result published")


class Vote(models.Model):
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="project_votes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    session = models.CharField(
        _("session"),
        max_length=100,
        validators=[validate_plain_text],
        help_text=_("e.g. 第三次会议"),
    )
    kind = models.CharField(_("ballot"), max_length=10, choices=BallotKind)
    pass_rule = models.CharField(
        _("pass rule"), max_length=10, choices=PassRule, default=PassRule.ALL
    )
    seats = models.PositiveSmallIntegerField(_("number of projects"))
    members = models.PositiveIntegerField(_("representatives of the congress"))
    present = models.PositiveIntegerField(_("representatives present"))
    status = models.CharField(
        _("status"), max_length=10, choices=VoteStatus, default=VoteStatus.OPEN
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["-year", "region_id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="vote_one_per_region_year"),
            models.CheckConstraint(
                condition=models.Q(present__lte=models.F("members")),
                name="vote_present_at_most_members",
            ),
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="vote_seats_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} {self.session}"


class Tally(models.Model):
    """The count of one candidate. Paper: entered by the tellers; electronic: summed
    from the ballots when the vote is counted. ``adopted`` and ``rank`` are the result."""

    vote = models.ForeignKey(
        Vote, verbose_name=_("vote"), on_delete=models.PROTECT, related_name="tallies"
    )
    project = models.OneToOneField(
        Project, verbose_name=_("candidate"), on_delete=models.PROTECT, related_name="tally"
    )
    votes_for = models.PositiveIntegerField(_("for"), default=0)
    against = models.PositiveIntegerField(_("against"), default=0)
    abstain = models.PositiveIntegerField(_("abstain"), default=0)
    invalid = models.PositiveIntegerField(_("invalid"), default=0)
    passed = models.BooleanField(_("passed the rule"), default=False)
    adopted = models.BooleanField(_("adopted"), default=False)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        verbose_name = _("count")
        verbose_name_plural = _("counts")
        ordering = ["rank", "-votes_for", "project_id"]

    def __str__(self) -> str:
        return f"{self.project}: {self.votes_for}/{self.against}/{self.abstain}/{self.invalid}"


class VoteEvent(Event):
    vote = models.ForeignKey(
        Vote, verbose_name=_("vote"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(Event.Meta):
        verbose_name = _("vote event")
        verbose_name_plural = _("vote events")


class BallotIssued(models.Model):
    """A representative took their one electronic ballot. Holds no choice and no time."""

    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="issued")
    representative = models.ForeignKey(Representative, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ballot taken")
        verbose_name_plural = _("ballots taken")
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "representative"], name="ballot_one_per_representative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vote_id}:{self.representative_id}"


class Choice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class Ballot(models.Model):
    """One cast electronic ballot: a random id, the vote, and the choice per candidate
    (``{"<project id>": "for"}``). No voter, no time, no sequence: nothing links it to
    the ``BallotIssued`` row written in the same transaction."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.PROTECT, related_name="ballots")
    choices = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return str(self.id)


class Milestone(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200, validators=[validate_plain_text])
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_on", "id"]
        indexes = [
            # The reminder and escalation sweep reads only open milestones by date.
            models.Index(
                fields=["due_on"], condition=models.Q(done_on=None), name="milestone_open_due_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%Y-%m-%d})"


class ProgressReport(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="reports"
    )
    text = models.TextField(_("progress"), validators=[validate_plain_text])
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    at = models.DateTimeField(_("reported"), auto_now_add=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.progress}%"


class RatingPeriod(models.TextChoices):
    MID_YEAR = "mid_year", _("Mid-year")
    YEAR_END = "year_end", _("Year end")


class ProjectRating(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="ratings"
    )
    representative = models.ForeignKey(
        Representative, verbose_name=_("representative"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=10, choices=RatingPeriod)
    rating = models.CharField(_("rating"), max_length=15, choices=Satisfaction)
    comment = models.CharField(
        _("comment"), max_length=500, blank=True, validators=[validate_plain_text]
    )
    at = models.DateTimeField(_("rated"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["period", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "representative", "period"], name="rating_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.period} {self.rating}"
