"""The quota reminder sweep: once per period, whoever is behind is told, through the outbox.

Each representative has one ``QuotaReminder`` row per period kind (month, year) with the
date it is next looked at (``next_on``): the reminder day of the current period, the
jurisdiction's ``quota_reminder_<kind>_workdays`` working days before the period ends
(5 for a month, 40 for a year), and ``last_period``, the period already reminded. The
daily sweep takes the rows due (``next_on`` today or earlier: a day the scheduler missed
is caught up the next time it runs) 200 at a time with ``SELECT … FOR UPDATE SKIP
LOCKED``; for each it judges that period's quotas of that kind and writes one SMS and one
in-app reminder to a representative not yet at a target (amber or red), with dedupe keys
of the representative, kind and period; then moves ``next_on`` to the next period's
reminder day. Running it twice, or two at once, sends nothing twice. A scheduler stopped
past a period's end reminds of the current period when it comes back, never of one over.
"""

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from duty.models import PeriodKind, QuotaReminder
from duty.quotas import MONTHLY, YEARLY, Period, behind, quotas_for, rules_region
from liaison.base.calendar import WorkdayCalendar
from liaison.base.jurisdiction import settings_for_many
from liaison.base.notifications.models import Channel, Notification, NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from representatives.models import Representative

BATCH_SIZE = 200
SUBJECT_TYPE = "representatives.representative"
CODES = {PeriodKind.MONTH: MONTHLY, PeriodKind.YEAR: YEARLY}


def period_of(kind: str, day: dt.date) -> Period:
    return Period.month(day) if kind == PeriodKind.MONTH else Period.year(day.year)


def following(period: Period) -> Period:
    return (
        Period.month(period.end + dt.timedelta(days=1))
        if len(period.key) > 4
        else Period.year(period.end.year + 1)
    )


def reminder_day(kind: str, period: Period, rules, calendar: WorkdayCalendar) -> dt.date:
    """``n`` working days before the period's last working day (never before it starts)."""
    lead = getattr(rules, f"quota_reminder_{kind}_workdays")
    last = period.end
    while not calendar.is_workday(last) and last > period.start:
        last -= dt.timedelta(days=1)
    return max(period.start, calendar.shift(last, -lead).date)


def reminders_ensure(today: dt.date) -> int:
    """A row for each representative and period kind that has none, due today (the sweep
    then puts it on its period's reminder day). One INSERT … SELECT."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {QuotaReminder._meta.db_table}
                (representative_id, period_kind, next_on, last_period)
            SELECT r.id, k.kind, %s, ''
            FROM {Representative._meta.db_table} r
            CROSS JOIN (SELECT %s AS kind UNION ALL SELECT %s) k
            WHERE NOT EXISTS (
                SELECT 1 FROM {QuotaReminder._meta.db_table} q
                WHERE q.representative_id = r.id AND q.period_kind = k.kind
            )
            """,  # noqa: S608 - table names from the models, values as parameters
            [today, PeriodKind.MONTH, PeriodKind.YEAR],
        )
        return cursor.rowcount


def quota_reminders_send(*, today: dt.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Run the sweep; returns the number of representatives reminded."""
    today = today or timezone.localdate()
    reminders_ensure(today)
    # The reminder days of this period and the next: up to two years ahead.
    calendar = WorkdayCalendar(dt.date(today.year, 12, 31))
    total = 0
    with translation.override(settings.LANGUAGE_CODE):
        while True:
            handled, reminded = _batch(today, calendar, batch_size)
            total += reminded
            if not handled:
                return total


@transaction.atomic
def _batch(today: dt.date, calendar: WorkdayCalendar, batch_size: int) -> tuple[int, int]:
    rows = list(
        QuotaReminder.objects.filter(next_on__lte=today)
        .select_for_update(skip_locked=True)
        .order_by("next_on", "id")[:batch_size]
    )
    if not rows:
        return 0, 0
    reps = {
        r.pk: r
        for r in Representative.objects.filter(
            pk__in=[row.representative_id for row in rows]
        ).select_related("user")
    }
    regions = rules_region(list(reps.values()), today)
    rules = settings_for_many(regions.values())
    due, notices = [], []
    for row in rows:
        rep_rules = rules[regions[row.representative_id]]
        period = period_of(row.period_kind, today)
        day = reminder_day(row.period_kind, period, rep_rules, calendar)
        if row.last_period == period.key or today < day:
            # Reminded already, or not yet time: look again on the right day.
            if row.last_period == period.key:
                nxt = following(period)
                day = reminder_day(row.period_kind, nxt, rep_rules, calendar)
            row.next_on = day
            continue
        due.append((row, period))
    judged = quotas_for([reps[row.representative_id] for row, _ in due], on=today)
    reminded = 0
    for row, period in due:
        rep = reps[row.representative_id]
        late = behind(judged.get(rep.pk, []), CODES[row.period_kind])
        if late:
            notices += _notices(rep, row.period_kind, period, late)
            reminded += 1
        row.last_period = period.key
        nxt = following(period)
        row.next_on = reminder_day(row.period_kind, nxt, rules[regions[rep.pk]], calendar)
    QuotaReminder.objects.bulk_update(rows, ["next_on", "last_period"])
    notifications_enqueue(notifications=notices)
    return len(rows), reminded


def _notices(rep, kind: str, period: Period, late) -> list[Notification]:
    lines = "；".join(f"{q.label} {q.count}/{q.target}" for q in late)
    title = _("Your duty quotas for %(period)s") % {"period": period.key}
    body = _("Behind so far: %(lines)s. Please catch up before %(end)s.") % {
        "lines": lines,
        "end": f"{period.end:%Y-%m-%d}",
    }
    key = f"quota:{kind}:{period.key}:rep{rep.pk}"
    common = {
        "kind": NotificationKind.QUOTA_BEHIND,
        "subject_type": SUBJECT_TYPE,
        "subject_id": rep.pk,
        "recipient_key": f"representative:{rep.pk}",
        "recipient_name": rep.name,
        "title": title,
        "body": body,
        "due_date": period.end,
    }
    rows = []
    if rep.private_phone:
        rows.append(
            Notification(
                channel=Channel.SMS,
                address=rep.private_phone,
                dedupe_key=f"{key}:sms",
                **common,
            )
        )
    if rep.user_id and rep.user.is_active:
        rows.append(
            Notification(channel=Channel.IN_APP, user=rep.user, dedupe_key=f"{key}:app", **common)
        )
    return rows
