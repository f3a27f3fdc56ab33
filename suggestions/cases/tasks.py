"""Thin Celery tasks over the case sweeps (suggestions/sweeps.py); each is safe to run twice."""

from celery import shared_task

from liaison.base.tasks import publish
from suggestions.cases import callbacks, privacy, sweeps


@shared_task(ignore_result=True)
def flag_unregistered_cases() -> int:
    return sweeps.cases_unregistered_flag()


@shared_task(ignore_result=True)
def flag_unassigned_cases() -> int:
    return sweeps.cases_unassigned_flag()


@shared_task(ignore_result=True)
def remind_cases_due_soon() -> int:
    return sweeps.cases_due_soon_remind()


@shared_task(ignore_result=True)
def escalate_overdue_cases(helper: bool = False) -> int:
    """The beat's run first asks for helpers when several batches are due; they and it
    claim different cases (SKIP LOCKED), and a helper left unpublished (the broker down)
    only means this run sweeps alone."""
    if not helper:
        for _ in range(sweeps.escalation_helpers()):
            publish(escalate_overdue_cases, helper=True)
    return sweeps.cases_escalate()


@shared_task(ignore_result=True)
def sample_callbacks() -> int:
    return callbacks.cases_callback_sample()


@shared_task(ignore_result=True)
def anonymise_old_visits() -> int:
    return privacy.visits_anonymise()
