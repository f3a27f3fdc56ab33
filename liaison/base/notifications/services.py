"""Writing to the outbox (delivery: ``delivery.py``, run by ``liaison.base.tasks``)."""

from django.conf import settings
from django.utils import timezone

from liaison.base.notifications.models import Notification, NotificationStatus
from liaison.base.tasks import deliver_notifications, publish_after_commit


def notifications_enqueue(*, notifications: list[Notification]) -> None:
    """Write the rows, skipping any whose dedupe key exists, and deliver after commit."""
    if not notifications:
        return
    Notification.objects.bulk_create(
        notifications, ignore_conflicts=True, batch_size=settings.NOTIFY_BATCH_SIZE
    )
    notifications_deliver_after_commit(len(notifications))


def notifications_deliver_after_commit(count: int) -> None:
    """Have ``count`` rows just written to the outbox (by the caller's own INSERT, say)
    delivered once the transaction commits."""
    # Several tasks share a large batch; SKIP LOCKED keeps them apart. A publish that
    # fails (broker down or hung) costs the request at most the broker's timeout, once:
    # the per-minute delivery sends the rows then.
    tasks = max(1, min(settings.NOTIFY_PARALLEL_TASKS, -(-count // settings.NOTIFY_BATCH_SIZE)))
    for _ in range(tasks):
        publish_after_commit(deliver_notifications)


def notifications_resend(*, ids: list[int] | None = None) -> int:
    """Give failed notifications a fresh set of attempts; returns how many."""
    failed = Notification.objects.filter(status=NotificationStatus.FAILED)
    if ids is not None:
        failed = failed.filter(pk__in=ids)
    count = failed.update(
        status=NotificationStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    if count:
        notifications_deliver_after_commit(count)
    return count


def notifications_resolve_unknown(*, ids: list[int], sent: bool) -> int:
    """An operator looked at rows whose outcome was unknown (send-once channels): mark them
    sent (the gateway has them) or send them once more. Returns how many."""
    unknown = Notification.objects.filter(status=NotificationStatus.UNKNOWN, pk__in=ids)
    if sent:
        return unknown.update(status=NotificationStatus.SENT, sent_at=timezone.now())
    count = unknown.update(status=NotificationStatus.PENDING, next_attempt_at=timezone.now())
    if count:
        notifications_deliver_after_commit(count)
    return count
