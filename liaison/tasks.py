from celery import shared_task
from django.conf import settings

from liaison.notifications.services import notifications_deliver


@shared_task(ignore_result=True)
def deliver_notifications() -> int:
    """Deliver a batch from the outbox; safe to run any number of times at once."""
    report = notifications_deliver()
    if report.handled >= settings.NOTIFY_BATCH_SIZE:
        # More may be waiting: continue in a fresh task so no task runs long.
        deliver_notifications.delay()
    return report.sent
