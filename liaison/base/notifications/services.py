"""Writing to the outbox (delivery: ``delivery.py``, run by ``liaison.base.tasks``)."""

from django.conf import settings
from django.utils import timezone

from liaison.base.notifications.models import Notification, NotificationStatus
from liaison.base.tasks import deliver_notifications


def notifications_enqueue(*, notifications: list[Notification]) -> None:
    """Write the rows, skipping any whose dedupe key exists, and deliver after commit."""
    if not notifications:
        return
    Notification.objects.bulk_create(
        notifications, ignore_conflicts=True, batch_size=settings.NOTIFY_BATCH_SIZE
    )
    _deliver_after_commit(len(notifications))


def _deliver_after_commit(count: int) -> None:
    # Several tasks share a large batch; SKIP LOCKED keeps them apart.
    tasks = max(1, min(settings.NOTIFY_PARALLEL_TASKS, -(-count // settings.NOTIFY_BATCH_SIZE)))
    for _ in range(tasks):
        deliver_notifications.delay_on_commit()


def notifications_resend(*, ids: list[int] | None = None) -> int:
    """Give failed notifications a fresh set of attempts; returns how many."""
    failed = Notification.objects.filter(status=NotificationStatus.FAILED)
    if ids is not None:
        failed = failed.filter(pk__in=ids)
    count = failed.update(
        status=NotificationStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    if count:
        _deliver_after_commit(count)
    return count
