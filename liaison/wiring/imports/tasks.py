"""The staff page's long steps as Celery tasks: they only call the services. A province's
list takes minutes, longer than a web request may."""

from celery import shared_task
from django.contrib.auth import get_user_model

from liaison.wiring.imports import services

LIMIT = 30 * 60


@shared_task(ignore_result=True, time_limit=LIMIT, soft_time_limit=LIMIT - 60)
def import_check_task(*, record_id: int) -> str:
    return services.import_check(record_id=record_id).status


@shared_task(ignore_result=True, time_limit=LIMIT, soft_time_limit=LIMIT - 60)
def import_apply_task(*, record_id: int, actor_id: int | None) -> str:
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    try:
        return services.import_apply(record_id=record_id, actor=actor).status
    except services.ImportRefused:
        return "refused"


@shared_task(ignore_result=True)
def fail_stalled_imports() -> int:
    """Checks and applies whose task died, marked stopped (their pages also do it on
    read)."""
    return services.import_fail_stalled()
