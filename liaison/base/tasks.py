from celery import shared_task

from liaison.base.notifications.delivery import notifications_deliver


@shared_task(ignore_result=True)
def deliver_notifications() -> int:
    """Deliver a batch from the outbox; safe to run any number of times at once."""
    report = notifications_deliver()
    if report.more_due:
        # Continue in a fresh task so that no task runs long.
        deliver_notifications.delay()
    return report.sent
