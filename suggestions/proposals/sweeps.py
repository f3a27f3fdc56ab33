"""The daily suggestion sweep: reminders before a deadline, escalation after it.

- Due soon: an open suggestion whose deadline falls within the jurisdiction's
  due-soon window reminds the lead unit (or, before assignment, the committee)
  once per deadline.
- Overdue: the lead unit and the committee are told once per deadline and
  level; the level rises every ``escalation_interval_workdays`` working days
  overdue (up to ``MAX_LEVEL``), and each rise is an event in the history.
- Co-units: an opinion not sent by its due date reminds the co-unit and tells
  the lead unit, once per due date.

Rows are taken in batches with ``SELECT … FOR UPDATE SKIP LOCKED`` over the
partial open-deadline indexes; a batch writes its outbox rows (unique keys) and
marks what it did (``reminded_for``, ``escalated_for``) in one transaction, so a
sweep run twice, or two at once, sends nothing twice. A new deadline (assignment,
extension, re-handling) starts the reminders afresh.
"""

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.base.calendar import WorkdayCalendar
from liaison.base.jurisdiction import settings_for
from liaison.base.models import JurisdictionSettings
from liaison.base.notifications.models import NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from suggestions.proposals import notices
from suggestions.proposals.models import (
    CLOSED_STEPS,
    WITH_UNIT,
    Suggestion,
    SuggestionCoUnit,
    SuggestionEvent,
)

BATCH_SIZE = 200
MAX_LEVEL = 3


@dataclass
class SweepReport:
    reminded: int = 0
    escalated: int = 0
    co_units_reminded: int = 0

    def __str__(self) -> str:
        return (
            f"reminded {self.reminded}, escalated {self.escalated}, "
            f"co-units reminded {self.co_units_reminded}"
        )


def suggestion_deadlines_sweep(
    *, today: dt.date | None = None, batch_size: int = BATCH_SIZE
) -> SweepReport:
    today = today or timezone.localdate()
    report = SweepReport()
    with translation.override(None):  # the site's language, not a request's
        due_soon = _due_soon_q(today)
        while count := _remind_batch(today, due_soon, batch_size):
            report.reminded += count
        levels = _level_dates(today)
        while count := _escalate_batch(today, levels, batch_size):
            report.escalated += count
        while count := _co_unit_batch(today, batch_size):
            report.co_units_reminded += count
    return report


def _open():
    return Suggestion.objects.exclude(step__in=CLOSED_STEPS).filter(deadline__isnull=False)


def _not_done_for(field: str) -> Q:
    return Q(**{f"{field}__isnull": True}) | ~Q(**{field: F("deadline")})


# DUE SOON


def _due_soon_q(today: dt.date) -> Q:
    """Each congress's own window, as one condition (there are few congresses)."""
    calendar = WorkdayCalendar(today)
    regions = (
        _open()
        .filter(deadline__gte=today)
        .order_by()
        .values_list("region_id", flat=True)
        .distinct()
    )
    windows = {}
    for region_id in regions:
        workdays = settings_for(region_id).due_soon_workdays
        windows.setdefault(calendar.shift(today, workdays).date, []).append(region_id)
    if not windows:
        return Q(pk__in=[])
    return reduce(
        or_, (Q(region_id__in=ids, deadline__lte=until) for until, ids in windows.items())
    ) & Q(deadline__gte=today)


@transaction.atomic
def _remind_batch(today: dt.date, due_soon: Q, batch_size: int) -> int:
    batch = list(
        _open()
        .filter(due_soon)
        .filter(_not_done_for("reminded_for"))
        .select_for_update(skip_locked=True)
        .order_by("deadline", "id")[:batch_size]
    )
    if not batch:
        return 0
    recipients = notices.Recipients.load(
        unit_ids=[s.lead_unit_id for s in batch if s.lead_unit_id],
        region_codes=[s.region_id for s in batch if not s.lead_unit_id],
    )
    rows = []
    for suggestion in batch:
        body = _("%(what)s is due on %(date)s.") % {
            "what": notices.label(suggestion),
            "date": suggestion.deadline.isoformat(),
        }
        common = {
            "kind": NotificationKind.SUGGESTION_DUE_SOON,
            "key": f"d{suggestion.deadline:%Y%m%d}",
            "title": _("Suggestion due soon"),
            "body": body,
            "due": today,
        }
        if suggestion.lead_unit_id:
            rows += notices.to_unit(suggestion, suggestion.lead_unit_id, recipients, **common)
        else:
            rows += notices.to_committee(suggestion, recipients, **common)
    notifications_enqueue(notifications=rows)
    Suggestion.objects.filter(pk__in=[s.pk for s in batch]).update(reminded_for=F("deadline"))
    return len(batch)


# OVERDUE


def _level_dates(today: dt.date) -> dict[int, dt.date]:
    """Level L is due for a deadline before the date (L-1) intervals of working days ago."""
    interval = JurisdictionSettings().escalation_interval_workdays
    calendar = WorkdayCalendar(today)
    return {
        level: calendar.shift(today, -(level - 1) * interval).date if level > 1 else today
        for level in range(1, MAX_LEVEL + 1)
    }


def _level_of(deadline: dt.date, levels: dict[int, dt.date]) -> int:
    return max(level for level, before in levels.items() if deadline < before)


@transaction.atomic
def _escalate_batch(today: dt.date, levels: dict[int, dt.date], batch_size: int) -> int:
    due = reduce(
        or_,
        (
            Q(deadline__lt=before)
            & (_not_done_for("escalated_for") | Q(escalation_level__lt=level))
            for level, before in levels.items()
        ),
    )
    batch = list(
        _open()
        .filter(due)
        .select_for_update(skip_locked=True)
        .order_by("deadline", "id")[:batch_size]
    )
    if not batch:
        return 0
    recipients = notices.Recipients.load(
        unit_ids=[s.lead_unit_id for s in batch if s.lead_unit_id],
        region_codes=[s.region_id for s in batch],
    )
    rows, events, by_level = [], [], {}
    for suggestion in batch:
        level = _level_of(suggestion.deadline, levels)
        by_level.setdefault(level, []).append(suggestion.pk)
        body = _("%(what)s was due on %(date)s and is overdue (escalation level %(level)s).") % {
            "what": notices.label(suggestion),
            "date": suggestion.deadline.isoformat(),
            "level": level,
        }
        common = {
            "kind": NotificationKind.SUGGESTION_OVERDUE,
            "key": f"d{suggestion.deadline:%Y%m%d}:l{level}",
            "title": _("Suggestion overdue"),
            "body": body,
            "due": today,
        }
        rows += notices.to_committee(suggestion, recipients, **common)
        if suggestion.lead_unit_id:
            rows += notices.to_unit(suggestion, suggestion.lead_unit_id, recipients, **common)
        events.append(
            SuggestionEvent(
                suggestion=suggestion,
                kind="escalate",
                from_step=suggestion.step,
                to_step=suggestion.step,
                data={"deadline": suggestion.deadline.isoformat(), "level": level},
            )
        )
    notifications_enqueue(notifications=rows)
    SuggestionEvent.objects.bulk_create(events)
    for level, ids in by_level.items():
        Suggestion.objects.filter(pk__in=ids).update(
            escalated_for=F("deadline"), escalation_level=level
        )
    return len(batch)


# CO-UNITS


@transaction.atomic
def _co_unit_batch(today: dt.date, batch_size: int) -> int:
    batch = list(
        SuggestionCoUnit.objects.filter(
            opinion_at__isnull=True, due__lt=today, suggestion__step__in=WITH_UNIT
        )
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("due")))
        .select_related("suggestion", "unit")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("due", "id")[:batch_size]
    )
    if not batch:
        return 0
    recipients = notices.Recipients.load(
        unit_ids={row.unit_id for row in batch} | {row.suggestion.lead_unit_id for row in batch}
    )
    rows = []
    for row in batch:
        suggestion = row.suggestion
        body = _("%(what)s: the opinion of %(unit)s was due on %(date)s.") % {
            "what": notices.label(suggestion),
            "unit": row.unit.name,
            "date": row.due.isoformat(),
        }
        common = {
            "kind": NotificationKind.SUGGESTION_COUNIT_DUE,
            "key": f"c{row.unit_id}:d{row.due:%Y%m%d}",
            "title": _("Co-unit opinion overdue"),
            "body": body,
            "due": today,
        }
        for unit_id in (row.unit_id, suggestion.lead_unit_id):
            rows += notices.to_unit(suggestion, unit_id, recipients, **common)
    notifications_enqueue(notifications=rows)
    SuggestionCoUnit.objects.filter(pk__in=[row.pk for row in batch]).update(reminded_for=F("due"))
    return len(batch)
