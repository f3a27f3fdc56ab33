"""Who is told what about livelihood projects (through the outbox, once: unique keys).

An assignment tells the unit's staff and the supervising representatives in the app;
the milestone sweep (``sweeps.py``) reminds the unit before a milestone's date and
escalates an overdue one to the committee over the project's region, then to the
committee above it.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.base import regions
from liaison.base.models import CommitteeMembership
from liaison.base.notifications.models import Channel, Notification, NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from projects.models import Project
from suggestions.models import UnitStaff

SUBJECT_TYPE = "projects.project"


def in_app(user, *, kind: str, project: Project, title: str, body: str, due: dt.date, key: str):
    return Notification(
        kind=kind,
        channel=Channel.IN_APP,
        subject_type=SUBJECT_TYPE,
        subject_id=project.pk,
        recipient_key=f"user:{user.pk}",
        recipient_name=user.get_full_name() or user.get_username(),
        user=user,
        title=title,
        body=body,
        due_date=due,
        dedupe_key=f"{key}:user{user.pk}",
    )


def unit_users(unit_ids) -> dict[int, list]:
    found: dict[int, list] = {}
    for staff in UnitStaff.objects.filter(
        unit_id__in=unit_ids, user__is_active=True
    ).select_related("user"):
        found.setdefault(staff.unit_id, []).append(staff.user)
    return found


def committee_users(region_codes) -> dict[str, list]:
    found: dict[str, list] = {}
    for member in CommitteeMembership.objects.filter(
        region_id__in=region_codes, user__is_active=True
    ).select_related("user"):
        found.setdefault(member.region_id, []).append(member.user)
    return found


def parent_congress(code: str) -> str | None:
    """The region above (a township's county), whose committee hears a second escalation."""
    chain = regions.ancestor_codes(code)
    return chain[-2] if len(chain) > 1 else None


def assigned(project: Project) -> None:
    today = timezone.localdate()
    users = unit_users([project.unit_id]).get(project.unit_id, [])
    users += [
        rep.user
        for rep in project.supervisors.select_related("user")
        if rep.user_id and rep.user.is_active
    ]
    notifications_enqueue(
        notifications=[
            in_app(
                user,
                kind=NotificationKind.PROJECT_ASSIGNED,
                project=project,
                title=_("Livelihood project: %(title)s") % {"title": project.title},
                body=_("%(unit)s carries it out; supervising representatives rate its progress.")
                % {"unit": project.unit.name},
                due=today,
                key=f"project_assigned:{project.pk}",
            )
            for user in users
        ]
    )
