"""Screening with the government into the candidate list (候选项目清单)."""

from django.db import transaction

from projects.flow import PROJECTS
from projects.models import Project


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
