"""A livelihood project's life as one table on the flow engine (liaison/base/flow.py).

collected → shortlisted (the candidate list) or left out (with the reason) → adopted or
not adopted (written by the vote's publication, never by hand) → in progress (the
responsible unit, budget, supervising representatives) → completed. While in progress
the unit reports progress and closes milestones; the supervising representatives rate
the work at mid-year and year end, in progress or completed.
"""

from django.utils.translation import gettext_lazy as _

from liaison.base.flow import Flow, Refusals, Transition, any_of
from liaison.base.scopes import scope_of
from projects.models import Project, ProjectRating, RatingPeriod, Step

S = Step


def committee(user, project: Project) -> bool:
    """The committee over the project's region (it screens with the government)."""
    return scope_of(user).covers_region(project.region_id)


def unit_staff(user, project: Project) -> bool:
    return project.unit_id is not None and project.unit_id in scope_of(user).unit_ids


def supervisor(user, project: Project) -> bool:
    rep = scope_of(user).representative_id
    return rep is not None and project.supervisors.filter(pk=rep).exists()


def rating_owed(user, project: Project) -> bool:
    rep = scope_of(user).representative_id
    rated = ProjectRating.objects.filter(project=project, representative_id=rep).count()
    return rated < len(RatingPeriod.values)


def not_in_a_vote(project: Project) -> bool:
    return project.vote_id is None


PROJECTS = Flow(
    name="project",
    model=Project,
    refusals=Refusals(
        busy=_("Someone else is changing this project; try again in a moment."),
        wrong_step=_("“%(action)s” is not possible for a project that is “%(step)s”."),
        not_allowed=_("You may not “%(action)s” this project."),
    ),
    closed=frozenset({S.LEFT_OUT, S.NOT_ADOPTED}),
    transitions=(
        Transition(
            "shortlist",
            frozenset({S.COLLECTED}),
            S.SHORTLISTED,
            committee,
            _("Put on the candidate list"),
        ),
        Transition(
            "leave_out",
            frozenset({S.COLLECTED, S.SHORTLISTED}),
            S.LEFT_OUT,
            committee,
            _("Leave out, with the reason"),
            condition=not_in_a_vote,
            condition_message=_("The candidate list is already being voted on."),
            required=frozenset({"reason"}),
        ),
        Transition(
            "edit",
            frozenset({S.COLLECTED, S.SHORTLISTED}),
            None,
            committee,
            _("Edit the topic (e.g. take out personal data before it is published)"),
            condition=not_in_a_vote,
            condition_message=_("The candidate list is already being voted on."),
            required=frozenset({"title"}),
        ),
        Transition(
            "assign",
            frozenset({S.ADOPTED}),
            S.IN_PROGRESS,
            committee,
            _("Assign to the responsible unit"),
            required=frozenset({"unit"}),
        ),
        Transition(
            "milestone",
            frozenset({S.IN_PROGRESS}),
            None,
            any_of(committee, unit_staff),
            _("Add a milestone"),
            required=frozenset({"title", "due_on"}),
        ),
        Transition(
            "report",
            frozenset({S.IN_PROGRESS}),
            None,
            unit_staff,
            _("Report progress"),
            required=frozenset({"text", "progress"}),
        ),
        Transition(
            "complete",
            frozenset({S.IN_PROGRESS}),
            S.COMPLETED,
            any_of(committee, unit_staff),
            _("Mark completed"),
        ),
        Transition(
            "rate",
            frozenset({S.IN_PROGRESS, S.COMPLETED}),
            None,
            supervisor,
            _("Rate the progress"),
            owed=rating_owed,
            required=frozenset({"period", "rating"}),
        ),
    ),
    other_events={
        "collect": _("Collected"),
        "adopted": _("Adopted by the vote"),
        "not_adopted": _("Not adopted by the vote"),
    },
)
