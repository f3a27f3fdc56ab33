"""Suggestions are swept by a stored date now, as cases are: give the open ones theirs.

``next_sweep_on`` is where the daily sweep next has something to do for a suggestion:
the due-soon reminder, then each escalation level of the ladder (the first working day
after the deadline, one more level each ``escalation_interval_workdays``, up to the
congress's ``escalation_levels``), after what the old sweep already did for the current
deadline (``reminded_for``, ``escalated_for`` with ``escalation_level``). A date already
past is acted on by the next sweep, once.
"""

import datetime as dt
from collections import defaultdict

from django.db import migrations

CLOSED_STEPS = ("returned", "closed", "merged")


def schedule_open_suggestions(apps, schema_editor):
    # The working-day calendar reads liaison's WorkdayAdjustment, a table older than this
    # migration; the rule itself is suggestions/shared/sweeps.py's ladder, repeated here so
    # that later changes to the sweeps cannot change what this migration did.
    from liaison.base.calendar import WorkdayCalendar
    from liaison.base.regions import ancestor_codes

    Suggestion = apps.get_model("suggestions", "Suggestion")
    Settings = apps.get_model("liaison", "JurisdictionSettings")
    own = {row.region_id: row for row in Settings.objects.all()}
    default = Settings()
    calendars: dict[int, WorkdayCalendar] = {}

    def rules_for(code: str):
        return next((own[a] for a in reversed(ancestor_codes(code)) if a in own), default)

    def calendar_for(deadline: dt.date) -> WorkdayCalendar:
        if deadline.year not in calendars:
            calendars[deadline.year] = WorkdayCalendar(dt.date(deadline.year, 7, 1))
        return calendars[deadline.year]

    def next_sweep_on(suggestion) -> dt.date | None:
        rules, calendar = rules_for(suggestion.region_id), calendar_for(suggestion.deadline)
        deadline = suggestion.deadline
        fired = suggestion.escalation_level if suggestion.escalated_for == deadline else 0
        if fired == 0 and suggestion.reminded_for != deadline and rules.due_soon_workdays:
            return calendar.shift(deadline, -rules.due_soon_workdays).date
        day = calendar.next_workday(deadline + dt.timedelta(days=1))  # level 1
        for _level in range(fired):
            day = calendar.shift(day, rules.escalation_interval_workdays).date
        return day if fired < rules.escalation_levels else None

    waiting = (
        Suggestion.objects.exclude(step__in=CLOSED_STEPS)
        .filter(deadline__isnull=False)
        .only("region_id", "deadline", "reminded_for", "escalated_for", "escalation_level")
    )
    dates = defaultdict(list)
    for suggestion in waiting.order_by("deadline", "id").iterator(chunk_size=2000):
        dates[next_sweep_on(suggestion)].append(suggestion.pk)
    # One UPDATE per distinct date, in slices of ids.
    for date, ids in dates.items():
        for start in range(0, len(ids), 5000):
            Suggestion.objects.filter(pk__in=ids[start : start + 5000]).update(next_sweep_on=date)


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0011_suggestion_next_sweep_on"),
        ("liaison", "0010_escalation_levels"),
    ]

    operations = [
        migrations.RunPython(schedule_open_suggestions, migrations.RunPython.noop),
    ]
