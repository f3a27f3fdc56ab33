"""Screening with the government into the candidate list (候选项目清单)."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from projects.flow import PROJECTS
from projects.models import Category, Project


@transaction.atomic
def project_shortlist(*, project_id: int, actor) -> Project:
    """Put a collected topic on its region's candidate list for the vote."""
    return PROJECTS.start("shortlist", pk=project_id, actor=actor).finish()


@transaction.atomic
def project_leave_out(*, project_id: int, actor, reason: str) -> Project:
    """Leave a topic out of the vote; the reason is published with it."""
    move = PROJECTS.start("leave_out", pk=project_id, actor=actor)
    move.row.left_out_reason = move.text("reason", reason, max_length=500)
    return move.finish(changed=["left_out_reason"], note=move.row.left_out_reason)


@transaction.atomic
def project_edit(
    *,
    project_id: int,
    actor,
    title: str,
    description: str = "",
    category: str,
    estimated_cost: Decimal | None = None,
) -> Project:
    """The committee's wording of a topic before the vote: what the public pages show."""
    move = PROJECTS.start("edit", pk=project_id, actor=actor)
    project = move.row
    project.title = move.text("title", title, max_length=200)
    project.description = move.text("description", description, max_length=4000, required=False)
    if category not in Category.values:
        move.error("category", _("Choose a category."))
    if estimated_cost is not None and estimated_cost < 0:
        move.error("estimated_cost", _("The cost cannot be negative."))
    project.category, project.estimated_cost = category, estimated_cost
    return move.finish(changed=["title", "description", "category", "estimated_cost"])
