"""The Celery app and the one place where periodic work is scheduled.

Every entry is a sweep that finds what is due in the database (including what a
stopped scheduler missed) and is safe to run twice; nothing is scheduled as a
far-future ETA task. Times are Asia/Shanghai (CELERY_TIMEZONE).
"""

import os

from celery import Celery, signals
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

app = Celery("liaison")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["suggestions.cases", "suggestions.proposals", "liaison.wiring.imports"])

SWEEPS = {
    # Notices go out in the morning of their notice date, before offices open.
    "reception-notices": {
        "task": "stations.tasks.send_reception_notices",
        "schedule": crontab(hour=7, minute=30),
    },
    # The case sweeps, once the notices are out and before offices open; each reads only
    # the cases due that day (or missed while the scheduler was down).
    "cases-unregistered": {
        "task": "suggestions.cases.tasks.flag_unregistered_cases",
        "schedule": crontab(hour=7, minute=40),
    },
    "cases-unassigned": {
        "task": "suggestions.cases.tasks.flag_unassigned_cases",
        "schedule": crontab(hour=7, minute=40),
    },
    "cases-due-soon": {
        "task": "suggestions.cases.tasks.remind_cases_due_soon",
        "schedule": crontab(hour=7, minute=50),
    },
    "cases-escalation": {
        "task": "suggestions.cases.tasks.escalate_overdue_cases",
        "schedule": crontab(hour=8, minute=0),
    },
    # 回访: replied cases sampled for the clerk's call-back list (catches up after a stop).
    "cases-callback-sample": {
        "task": "suggestions.cases.tasks.sample_callbacks",
        "schedule": crontab(hour=8, minute=5),
    },
    # Suggestion reminders and escalation, before offices open.
    "suggestion-deadlines": {
        "task": "suggestions.proposals.tasks.sweep_suggestion_deadlines",
        "schedule": crontab(hour=7, minute=45),
    },
    # Imports whose task died show as stopped, to be run again (their pages check too).
    "imports-stalled": {
        "task": "liaison.wiring.imports.tasks.fail_stalled_imports",
        "schedule": crontab(minute="*/10"),
    },
    # PIPL: the personal data of visits whose cases were closed long ago, erased at night.
    "visits-anonymise": {
        "task": "suggestions.cases.tasks.anonymise_old_visits",
        "schedule": crontab(hour=3, minute=30),
    },
    # The idempotency keys of API writes and staff forms, kept a day (liaison/base/idempotency.py).
    "idempotency-keys-purge": {
        "task": "liaison.base.tasks.purge_idempotency_keys",
        "schedule": crontab(hour=3, minute=15),
    },
    # Expired sessions, deleted at night (liaison/base/sessions.py).
    "sessions-purge": {
        "task": "liaison.base.tasks.purge_expired_sessions",
        "schedule": crontab(hour=3, minute=20),
    },
    # Duty quotas: each representative reminded once per period, on its reminder day
    # (or the first run after it, if the scheduler was down), when behind.
    "duty-quota-reminders": {
        "task": "duty.tasks.remind_quotas_behind",
        "schedule": crontab(hour=8, minute=10),
    },
    # Livelihood projects: milestone reminders and escalation, before offices open.
    "project-milestones": {
        "task": "projects.tasks.sweep_project_milestones",
        "schedule": crontab(hour=8, minute=20),
    },
    # The figures' daily roll-ups recounted from the data, at night (writes recount their
    # own station's day as they commit; this catches bulk changes).
    "figures-rollups": {
        "task": "figures.tasks.rebuild_figures",
        "schedule": crontab(hour=2, minute=30),
    },
    # The work area's daily digest of unread messages, for those who asked (workarea/).
    "message-digests": {
        "task": "workarea.tasks.send_message_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    # Retries after backoff, and anything a lost task left pending.
    "deliver-notifications": {
        "task": "liaison.base.tasks.deliver_notifications",
        "schedule": crontab(minute="*"),
    },
}
app.conf.beat_schedule = SWEEPS


@signals.worker_ready.connect
def _drain_outbox_on_start(sender, **kwargs):
    # A worker killed mid-batch left pending rows (its task message waits for the
    # broker's visibility timeout); a starting worker picks them up at once.
    sender.app.send_task("liaison.base.tasks.deliver_notifications")
