"""The outbox's delivery task, and publishing tasks without ever holding a request.

``publish_after_commit`` is how the product hands work to Celery after a transaction: the
publish is bounded by the broker's socket timeouts (``REDIS_*_TIMEOUT``, no publish
retry), a failure is logged and never reaches the user whose move was saved, and after a
failure this process stops trying for ``REDIS_RETRY_SECONDS``. What was not published is
not lost: the outbox rows are in the database and the per-minute ``deliver-notifications``
beat entry (and a starting worker) delivers them.
"""

import logging
import threading
import time
from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction

from liaison.base.idempotency import idempotency_keys_purge
from liaison.base.notifications.delivery import notifications_deliver
from liaison.base.sessions import sessions_purge_expired

logger = logging.getLogger(__name__)


class _PublishBreaker:
    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0

    def open(self) -> bool:
        return time.monotonic() < self.down_until

    def trip(self) -> None:
        with self.lock:
            self.down_until = time.monotonic() + settings.REDIS_RETRY_SECONDS


_breaker = _PublishBreaker()


def publish(task, *, inline_if_down: bool = False, **kwargs) -> bool:
    """Send ``task`` now; True if the broker took it. When it cannot (down, hung, or a
    failure a moment ago), ``inline_if_down`` runs the task here instead (rare admin work
    that must not be lost); otherwise it is left to the sweeps that catch up."""
    if task.app.conf.task_always_eager:
        # The embedded mode has no broker: the task runs here, and its errors are its own.
        task.apply_async(kwargs=kwargs)
        return True
    if not _breaker.open():
        try:
            task.apply_async(kwargs=kwargs)
            return True
        except Exception as error:  # kombu's OperationalError, redis errors, timeouts
            _breaker.trip()
            logger.warning("could not publish %s (%s: %s)", task.name, type(error).__name__, error)
    if inline_if_down:
        logger.warning("running %s in this process: the broker is unreachable", task.name)
        task.apply(kwargs=kwargs, throw=True)
    return False


def publish_after_commit(task, *, inline_if_down: bool = False, **kwargs) -> None:
    """``publish`` once the current transaction commits (nothing if it rolls back)."""
    transaction.on_commit(
        partial(publish, task, inline_if_down=inline_if_down, **kwargs),
        # The move is saved by then: nothing after it may turn the answer into an error.
        robust=not task.app.conf.task_always_eager,
    )


@shared_task(bind=True, ignore_result=True, max_retries=None)
def deliver_notifications(self) -> int:
    """Deliver a batch from the outbox; safe to run any number of times at once. While the
    database is out it tries again every NOTIFY_DATABASE_RETRY_SECONDS, so delivery resumes
    within seconds of its return instead of at the next beat tick."""
    try:
        report = notifications_deliver()
    except (OperationalError, InterfaceError) as error:
        if self.request.retries >= settings.NOTIFY_DATABASE_RETRIES or self.request.is_eager:
            raise
        logger.warning("delivery: database unreachable (%s); trying again", error)
        raise self.retry(countdown=settings.NOTIFY_DATABASE_RETRY_SECONDS) from error
    if report.more_due:
        # Continue in a fresh task so that no task runs long.
        publish(deliver_notifications)
    return report.sent


@shared_task(ignore_result=True)
def purge_idempotency_keys() -> int:
    """Forget the idempotency keys older than IDEMPOTENCY_KEEP_HOURS."""
    return idempotency_keys_purge()


@shared_task(ignore_result=True)
def purge_expired_sessions() -> int:
    """Delete the sessions past their expiry date (Django's ``clearsessions``): nothing
    reads them any more, and the table would otherwise keep every login for ever."""
    return sessions_purge_expired()
