"""Carrying out the adopted projects: the responsible unit, milestones, progress reports,
completion, and the supervising representatives' ratings at mid-year and year end."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.base.flow import IllegalTransition
from liaison.base.regions import within
from liaison.base.scopes import scope_of
from projects import notices
from projects.flow import PROJECTS
from projects.models import Milestone, ProgressReport, Project, ProjectRating, RatingPeriod
from representatives.models import Representative
from suggestions.models import HandlingUnit, Satisfaction


@transaction.atomic
def project_assign(
    *,
    project_id: int,
    actor,
    unit: HandlingUnit | None,
    budget: Decimal | None = None,
    supervisors=(),
) -> Project:
    """The responsible unit carries the project out; the representatives named supervise
    and rate it (representatives of this congress)."""
    move = PROJECTS.start("assign", pk=project_id, actor=actor)
    project = move.row
    if unit is None or not unit.active:
        move.error("unit", _("Choose an active unit."))
    if budget is not None and budget < 0:
        move.error("budget", _("The budget cannot be negative."))
    ids = [getattr(s, "pk", s) for s in supervisors]
    found = Representative.objects.filter(
        within("region", project.region.bounds), pk__in=ids
    ).values_list("pk", flat=True)
    if len(set(found)) != len(set(ids)):
        move.error("supervisors", _("Supervisors are representatives of this congress."))
    move.check()
    project.unit, project.budget = unit, budget
    move.finish(changed=["unit", "budget"], note=unit.name, data={"supervisors": ids})
    project.supervisors.set(ids)
    notices.assigned(project)
    return project


@transaction.atomic
def milestone_add(*, project_id: int, actor, title: str, due_on: dt.date | None) -> Milestone:
    move = PROJECTS.start("milestone", pk=project_id, actor=actor)
    title = move.text("title", title, max_length=200)
    if due_on is None:
        move.error("due_on", _("This field is required."))
    move.finish(note=title, data={"due_on": due_on.isoformat() if due_on else ""})
    return Milestone.objects.create(project=move.row, title=title, due_on=due_on)


@transaction.atomic
def progress_report(
    *, project_id: int, actor, text: str, progress: int | None, milestone_id: int | None = None
) -> ProgressReport:
    """The unit's report; naming a milestone marks it done today."""
    move = PROJECTS.start("report", pk=project_id, actor=actor)
    project = move.row
    text = move.text("text", text, max_length=4000)
    if progress is None or not 0 <= progress <= 100:
        move.error("progress", _("Give the progress as a percentage from 0 to 100."))
    milestone = None
    if milestone_id is not None:
        milestone = project.milestones.filter(pk=milestone_id, done_on=None).first()
        if milestone is None:
            move.error("milestone_id", _("Choose an open milestone of this project."))
    move.check()
    if milestone is not None:
        milestone.done_on = timezone.localdate()
        milestone.save(update_fields=["done_on"])
    project.progress = progress
    move.finish(
        changed=["progress"],
        note=text,
        data={"progress": progress, "milestone": milestone_id},
    )
    return ProgressReport.objects.create(
        project=project, text=text, progress=progress, reported_by=actor
    )


@transaction.atomic
def project_complete(*, project_id: int, actor) -> Project:
    move = PROJECTS.start("complete", pk=project_id, actor=actor)
    move.row.progress = 100
    return move.finish(changed=["progress"])


@transaction.atomic
def project_rate(
    *, project_id: int, actor, period: str, rating: str, comment: str = ""
) -> ProjectRating:
    """A supervising representative's rating (满意 / 基本满意 / 不满意), once per period."""
    move = PROJECTS.start("rate", pk=project_id, actor=actor)
    if period not in RatingPeriod.values:
        move.error("period", _("Choose mid-year or year end."))
    if rating not in Satisfaction.values:
        move.error("rating", _("Choose a rating."))
    comment = move.text("comment", comment, max_length=500, required=False)
    move.check()
    rep = scope_of(actor).representative_id
    if ProjectRating.objects.filter(
        project=move.row, representative_id=rep, period=period
    ).exists():
        raise IllegalTransition(_("You have rated this project for this period already."))
    move.finish(note=comment, data={"period": period, "rating": rating})
    return ProjectRating.objects.create(
        project=move.row, representative_id=rep, period=period, rating=rating, comment=comment
    )
