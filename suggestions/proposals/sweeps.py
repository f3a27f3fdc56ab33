"""The daily suggestion sweep: reminders before a deadline, escalation after it.

The same design as the case sweeps (suggestions/shared/sweeps.py): every open
suggestion with a deadline carries ``next_sweep_on``, set by the services with each
deadline (``first_sweep_on``) and moved on by this sweep after acting, so each claim
is one range scan of the partial index ``sugg_next_sweep_idx`` (``next_sweep_on <=
today``), never every open suggestion. On the ladder, with the rules of the
suggestion's congress:

- Due soon: ``due_soon_workdays`` working days before the deadline the lead unit
  (or, before assignment, the committee) is reminded, once per deadline
  (``reminded_for``).
- Overdue: the first working day after the deadline level 1, one more level each
  ``escalation_interval_workdays`` working days, up to ``escalation_levels``; each
  level tells the lead unit and the committees of the congress and above once, and
  is an event in the history without an actor (``escalated_for``, ``escalation_level``).
  A suggestion past several dates gets every level it is owed, in order.
- Co-units: an opinion not sent by its due date reminds the co-unit and tells
  the lead unit, once per due date (its own claim over ``SuggestionCoUnit.due``).

Rows are taken in batches with ``SELECT … FOR UPDATE SKIP LOCKED``; a batch writes
its outbox rows (unique keys), its events and what it did in one transaction, so a
sweep run twice, or two at once, sends nothing twice. A new deadline (assignment,
extension, re-handling) starts the reminders afresh.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.base.calendar import WorkdayCalendar
from liaison.base.jurisdiction import settings_for_many
from liaison.base.models import JurisdictionSettings
from liaison.base.notifications.models import NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from suggestions.proposals import notices
from suggestions.proposals.models import (
    WITH_UNIT,
    Suggestion,
    SuggestionCoUnit,
    SuggestionEvent,
)
from suggestions.shared.sweeps import Ladder, claim, sweep_until_done

BATCH_SIZE = 200


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
    with translation.override(settings.LANGUAGE_CODE):  # the site's language, not a request's
        report.reminded = sweep_until_done(_remind_batch, today=today, batch_size=batch_size)
        report.escalated = sweep_until_done(_escalate_batch, today=today, batch_size=batch_size)
        while count := _co_unit_batch(today, batch_size):
            report.co_units_reminded += count
    return report


# DATES


def first_sweep_on(
    suggestion: Suggestion,
    *,
    rules: JurisdictionSettings,
    calendar: WorkdayCalendar | None = None,
) -> dt.date | None:
    """When the sweep first acts on a suggestion whose deadline was just set (None: never)."""
    if suggestion.deadline is None:
        return None
    ladder = Ladder(calendar or WorkdayCalendar(suggestion.deadline))
    return next_sweep_on(suggestion, rules=rules, ladder=ladder)


def next_sweep_on(
    suggestion: Suggestion, *, rules: JurisdictionSettings, ladder: Ladder
) -> dt.date | None:
    """When the sweep next acts, given what it did for the current deadline: the reminder
    (``reminded_for``) and the levels (``escalation_level`` of ``escalated_for``)."""
    if suggestion.deadline is None or suggestion.is_closed:
        return None
    return ladder.next_sweep_on(
        suggestion.deadline,
        rules,
        fired=_fired(suggestion),
        reminded=suggestion.reminded_for == suggestion.deadline,
    )


def _fired(suggestion: Suggestion) -> int:
    """The level already reached for the current deadline (an earlier one's does not count)."""
    return suggestion.escalation_level if suggestion.escalated_for == suggestion.deadline else 0


# What each part of the sweep claims among the suggestions whose date has come.


def due_soon_due(today: dt.date):
    return Suggestion.objects.open().not_overdue(today)


def escalation_due(today: dt.date):
    return Suggestion.objects.overdue(today)


# DUE SOON


@transaction.atomic
def _remind_batch(today: dt.date, batch_size: int) -> tuple[int, int]:
    batch = claim(due_soon_due(today), today=today, batch_size=batch_size)
    if not batch:
        return 0, 0
    rules = settings_for_many(s.region_id for s in batch)
    ladder = Ladder(WorkdayCalendar(today))
    recipients = notices.Recipients.load(
        unit_ids=[s.lead_unit_id for s in batch if s.lead_unit_id],
        region_codes=[s.region_id for s in batch if not s.lead_unit_id],
    )
    rows, moved = [], defaultdict(list)
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
        suggestion.reminded_for = suggestion.deadline
        next_on = next_sweep_on(suggestion, rules=rules[suggestion.region_id], ladder=ladder)
        moved[next_on].append(suggestion.pk)
    notifications_enqueue(notifications=rows)
    for next_on, ids in moved.items():
        Suggestion.objects.filter(pk__in=ids).update(
            reminded_for=F("deadline"), next_sweep_on=next_on
        )
    return len(batch), len(batch)


# OVERDUE


@transaction.atomic
def _escalate_batch(today: dt.date, batch_size: int) -> tuple[int, int]:
    batch = claim(escalation_due(today), today=today, batch_size=batch_size)
    if not batch:
        return 0, 0
    rules = settings_for_many(s.region_id for s in batch)
    ladder = Ladder(WorkdayCalendar(today))
    recipients = notices.Recipients.load(
        unit_ids=[s.lead_unit_id for s in batch if s.lead_unit_id],
        region_codes=[s.region_id for s in batch],
    )
    rows, events, saved, risen = [], [], defaultdict(list), 0
    for suggestion in batch:
        fired = _fired(suggestion)
        owed = ladder.owed(suggestion.deadline, rules[suggestion.region_id], today)
        risen += owed > fired
        for level in range(fired + 1, owed + 1):
            rows += _overdue_rows(suggestion, level, recipients, today)
            events.append(
                SuggestionEvent(
                    suggestion=suggestion,
                    kind="escalate",
                    from_step=suggestion.step,
                    to_step=suggestion.step,
                    data={"deadline": suggestion.deadline.isoformat(), "level": level},
                )
            )
        if owed:
            suggestion.escalated_for = suggestion.deadline
            suggestion.escalation_level = fired = max(fired, owed)
        # Overdue: a reminder not sent yet comes too late and is skipped.
        next_on = ladder.next_sweep_on(
            suggestion.deadline, rules[suggestion.region_id], fired=fired, reminded=True
        )
        saved[(suggestion.escalated_for, suggestion.escalation_level, next_on)].append(
            suggestion.pk
        )
    notifications_enqueue(notifications=rows)
    SuggestionEvent.objects.bulk_create(events)
    # One UPDATE per distinct new state: suggestions share deadlines and levels.
    for (escalated_for, level, next_on), ids in saved.items():
        Suggestion.objects.filter(pk__in=ids).update(
            escalated_for=escalated_for, escalation_level=level, next_sweep_on=next_on
        )
    return len(batch), risen


def _overdue_rows(suggestion, level: int, recipients, today: dt.date) -> list:
    """One level's notices: the committees of the congress and above, and the lead unit."""
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
    rows = notices.to_committee(suggestion, recipients, **common)
    if suggestion.lead_unit_id:
        rows += notices.to_unit(suggestion, suggestion.lead_unit_id, recipients, **common)
    return rows


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
