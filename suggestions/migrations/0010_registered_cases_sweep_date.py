"""Registered cases are swept now (the disposition flag): give the open ones their date.

Until now ``first_sweep_on`` left a registered case without ``next_sweep_on``, so the new
``cases_unassigned_flag`` sweep would never see the cases registered before it existed.
Each gets the first working day after its disposition deadline; one that is already past
is flagged by the next sweep, once.
"""

import datetime as dt

from django.db import migrations


def schedule_registered_cases(apps, schema_editor):
    # The working-day calendar reads liaison's WorkdayAdjustment, a table older than this
    # migration; the rule itself is sweeps.overdue_from, repeated here so that later
    # changes to the sweeps cannot change what this migration did.
    from liaison.base.calendar import WorkdayCalendar

    Case = apps.get_model("suggestions", "Case")
    waiting = Case.objects.filter(
        step="registered", deadline__isnull=False, next_sweep_on__isnull=True
    )
    # One UPDATE per distinct deadline, not per case.
    for deadline in waiting.order_by().values_list("deadline", flat=True).distinct():
        calendar = WorkdayCalendar(deadline)
        day = deadline + dt.timedelta(days=1)
        while not calendar.is_workday(day):
            day += dt.timedelta(days=1)
        waiting.filter(deadline=deadline).update(next_sweep_on=day)


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0009_suggestion_extension_inbox_index"),
        ("liaison", "0007_case_unassigned_kind"),
    ]

    operations = [
        migrations.RunPython(schedule_registered_cases, migrations.RunPython.noop),
    ]
