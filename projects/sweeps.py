"""The milestone sweep: reminders before a milestone's date, escalation after it.

Each day it reads the open milestones of projects in progress dated up to the lead
time ahead (one indexed range, ``milestone_open_due_idx``): a milestone due within the
lead time (``PROJECT_MILESTONE_LEAD_WORKDAYS`` working days, 5 by default) reminds the
unit's staff; one past its date escalates to the unit and the committee over the
project's region (level 1); one still open ``PROJECT_MILESTONE_ESCALATE_WORKDAYS``
working days after its date (10) escalates to the committee above (level 2). Every
notice has a key of the milestone, its date and the level, so a sweep run twice, or
one catching up days a stopped scheduler missed, sends each once; a milestone moved to
a new date is reminded again.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.base.calendar import WorkdayCalendar
from liaison.base.notifications.models import NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from projects.models import Milestone, Step
from projects.notices import committee_users, in_app, parent_congress, unit_users


def _lead() -> int:
    return getattr(settings, "PROJECT_MILESTONE_LEAD_WORKDAYS", 5)


def _escalate_after() -> int:
    return getattr(settings, "PROJECT_MILESTONE_ESCALATE_WORKDAYS", 10)


def milestones_sweep(*, today: dt.date | None = None) -> int:
    """Run the sweep; returns the number of notices written (before deduplication)."""
    today = today or timezone.localdate()
    calendar = WorkdayCalendar(today)
    horizon = calendar.shift(today, _lead()).date
    milestones = list(
        Milestone.objects.filter(
            done_on=None, due_on__lte=horizon, project__step=Step.IN_PROGRESS
        ).select_related("project", "project__unit")
    )
    if not milestones:
        return 0
    units = unit_users({m.project.unit_id for m in milestones})
    codes = {m.project.region_id for m in milestones}
    committees = committee_users(codes | {parent_congress(c) for c in codes} - {None})
    rows = []
    with translation.override(settings.LANGUAGE_CODE):
        for m in milestones:
            rows += _notices(m, today, calendar, units, committees)
    with transaction.atomic():
        notifications_enqueue(notifications=rows)
    return len(rows)


def _notices(m: Milestone, today, calendar, units, committees) -> list:
    project = m.project
    staff = units.get(project.unit_id, [])
    what = {"milestone": m.title, "project": project.title, "date": f"{m.due_on:%Y-%m-%d}"}
    key = f"milestone:{m.pk}:{m.due_on:%Y%m%d}"
    if m.due_on >= today:
        return [
            in_app(
                user,
                kind=NotificationKind.PROJECT_MILESTONE_DUE,
                project=project,
                title=_("Milestone due on %(date)s") % what,
                body=_("%(project)s: “%(milestone)s” is due on %(date)s.") % what,
                due=m.due_on,
                key=f"{key}:due",
            )
            for user in staff
        ]
    level = 2 if calendar.shift(m.due_on, _escalate_after()).date <= today else 1
    told = staff + committees.get(project.region_id, [])
    if level == 2:
        told += committees.get(parent_congress(project.region_id), [])
    return [
        in_app(
            user,
            kind=NotificationKind.PROJECT_MILESTONE_OVERDUE,
            project=project,
            title=_("Milestone overdue (level %(level)s)") % {"level": lvl},
            body=_("%(project)s: “%(milestone)s” was due on %(date)s and is not done.") % what,
            due=m.due_on,
            key=f"{key}:overdue{lvl}",
        )
        for lvl in range(1, level + 1)
        for user in (staff + committees.get(project.region_id, []) if lvl == 1 else told)
    ]
