"""Reads of livelihood projects: the public figures, lists and pages, each from a
constant number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet

from liaison.base.models import Region
from liaison.base.regions import within
from projects.models import (
    DELIVERY_STEPS,
    PUBLIC_STEPS,
    Milestone,
    ProgressReport,
    Project,
    RatingPeriod,
    Step,
    Vote,
    VoteStatus,
)
from suggestions.models import Satisfaction


def figures(*, year: int | None, region: Region | None) -> dict:
    """Topics collected and projects adopted (e.g. 辰溪: 156 topics, 110 projects), one
    aggregate over the indexed (year, region, step)."""
    rows = Project.objects.all()
    if year:
        rows = rows.filter(year=year)
    if region is not None:
        rows = rows.filter(within("region", region.bounds))
    return rows.aggregate(
        topics=Count("id"),
        candidates=Count("id", filter=Q(vote__isnull=False)),
        projects=Count("id", filter=Q(step__in=DELIVERY_STEPS)),
        completed=Count("id", filter=Q(step=Step.COMPLETED)),
    )


def public_projects(*, year: int | None = None, region: Region | None = None) -> QuerySet:
    rows = Project.objects.filter(step__in=PUBLIC_STEPS).select_related("region", "unit")
    if year:
        rows = rows.filter(year=year)
    if region is not None:
        rows = rows.filter(within("region", region.bounds))
    return rows.order_by("-year", "region_id", "step", "id")


def _rating_counts():
    counts = {}
    for period in RatingPeriod.values:
        for rating in Satisfaction.values:
            counts[f"{period}_{rating}"] = Count(
                "ratings", filter=Q(ratings__period=period, ratings__rating=rating)
            )
    return counts


def public_project(pk: int) -> Project:
    """One published project with its progress, milestones and rating counts (no names
    of who rated: the representatives rate back to back)."""
    return (
        Project.objects.filter(step__in=PUBLIC_STEPS)
        .select_related("region", "unit", "vote", "tally")
        .prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_on", "id")),
            Prefetch("reports", queryset=ProgressReport.objects.order_by("-at", "-id")),
        )
        .annotate(**_rating_counts())
        .get(pk=pk)
    )


def rating_table(project: Project) -> list[dict]:
    """Per period, the count of each rating, from the annotations of ``public_project``."""
    return [
        {
            "period": label,
            "counts": [
                (r_label, getattr(project, f"{period}_{r}")) for r, r_label in Satisfaction.choices
            ],
        }
        for period, label in RatingPeriod.choices
    ]


def published_votes(*, year: int | None = None) -> QuerySet:
    rows = Vote.objects.filter(status=VoteStatus.PUBLISHED).select_related("region")
    if year:
        rows = rows.filter(year=year)
    return rows


def vote_result(vote: Vote) -> list:
    return list(vote.tallies.select_related("project").order_by("rank", "project_id"))
