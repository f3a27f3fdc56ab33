"""Delivering from the outbox.

Delivery takes one due row at a time in two short transactions:

1. The claim (``SELECT … FOR UPDATE SKIP LOCKED``) counts the attempt and moves
   ``next_attempt_at`` one lease ahead, and commits. A worker that dies while
   sending — a message that crashes it, an out-of-memory kill — has therefore
   used up an attempt: the row waits out the lease instead of blocking the head
   of the queue, and after the last allowed attempt it fails (an administrator
   may re-send it) instead of killing every worker that takes it, forever.
2. The attempt calls the channel outside any transaction (the lease keeps other
   workers off the row; it is longer than any channel's timeout) and records the
   outcome only if the row is still this attempt's. Every attempt carries the
   row's idempotency key, which the gateway deduplicates, so a message accepted
   once is never accepted twice.

A success is recorded at once, in one statement whose commit does not wait for the disk
(on PostgreSQL): a worker that dies right after it has recorded the row all the same,
since the server holds the commit; only a crash of PostgreSQL itself could lose the last
fraction of a second of them, which then go out again with the same keys. So a worker's
death re-sends at most the one message it was sending. Failures, and every send-once
row, are recorded with a commit that waits for the disk.

The guarantee per channel (docs/reliability.md): at least once, and exactly once where
the gateway deduplicates on the key. For a channel listed in
``NOTIFY_SEND_ONCE_CHANNELS`` (a gateway that does not deduplicate) it is at most once:
the claim records ``sending`` durably before the call; a failure that proves the message
was not accepted (refused connection, an error answer) is retried as usual, anything
else — a timeout after the request went out, a worker that died while sending — leaves
the row ``unknown``, which only an operator sends again or marks sent (the admin).
"""

import datetime as dt
import logging
import smtplib
import socket
import time
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from liaison.base.notifications.models import Channel, Notification, NotificationStatus
from liaison.base.notifications.sms import Sms, SmsError, SmsOutcomeUnknown, get_backend

logger = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    lost: int = 0
    unknown: int = 0  # send-once rows left to an operator
    more_due: bool = False

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed + self.unknown


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential backoff: base, 2×base, 4×base … capped."""
    seconds = settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, settings.NOTIFY_RETRY_MAX_SECONDS))


def notifications_deliver(*, limit: int | None = None) -> DeliveryReport:
    """Deliver due notifications until none is left, ``limit`` were handled, or the
    time budget (below the task's soft time limit, even with a slow gateway) is spent."""
    limit = limit or settings.NOTIFY_BATCH_SIZE
    stop_at = time.monotonic() + settings.NOTIFY_TASK_BUDGET_SECONDS
    report = DeliveryReport()
    report.unknown += _sending_past_lease(timezone.now())
    backend = get_backend()
    try:
        while report.handled < limit and time.monotonic() < stop_at:
            outcome = _deliver_one(backend)
            if outcome is None:
                break
            setattr(report, outcome, getattr(report, outcome) + 1)
    finally:
        # A backend named by its dotted path may predate ``SmsBackend.close``.
        getattr(backend, "close", lambda: None)()
    report.more_due = report.handled > 0 and _due(timezone.now()).exists()
    return report


def _mark_sent(notification: Notification) -> int:
    """Record a success while the row is still this attempt's. On PostgreSQL outside a
    caller's transaction, the statement's own commit does not wait for the disk (RETURNING
    sets ``synchronous_commit`` for it): the worker may die the next moment and the row
    is recorded, which is what keeps a death from re-sending more than one message."""
    if connection.vendor != "postgresql":
        changes = {"status": NotificationStatus.SENT, "sent_at": timezone.now()}
        return _record(notification, changes)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {Notification._meta.db_table} SET status = %s, sent_at = %s
            WHERE id = %s AND status = %s AND attempts = %s
            RETURNING set_config('synchronous_commit', %s, true)
            """,  # noqa: S608 (the table's name only)
            [
                NotificationStatus.SENT,
                timezone.now(),
                notification.pk,
                NotificationStatus.PENDING,
                notification.attempts,
                "on" if connection.in_atomic_block else "off",
            ],
        )
        return cursor.rowcount


def send_once(notification: Notification) -> bool:
    return notification.channel in settings.NOTIFY_SEND_ONCE_CHANNELS


def _sending_past_lease(now) -> int:
    """Send-once rows whose worker stopped while sending: their outcome is unknown."""
    stale = Notification.objects.filter(status=NotificationStatus.SENDING, next_attempt_at__lte=now)
    count = stale.update(
        status=NotificationStatus.UNKNOWN,
        last_error="the worker stopped while sending: the outcome is unknown "
        "(check with the gateway, then mark it sent or send it again)",
    )
    if count:
        logger.error("%s send-once notifications have an unknown outcome", count)
    return count


def _due(now):
    return Notification.objects.filter(status=NotificationStatus.PENDING, next_attempt_at__lte=now)


def _deliver_one(backend) -> str | None:
    claimed = _claim(timezone.now())
    if claimed is None:
        return None
    if claimed.status == NotificationStatus.FAILED:
        return "failed"
    return _attempt(claimed, backend)


_DIED = "delivery stopped without an outcome {} times (the worker died while sending)"


def _claim(now) -> Notification | None:
    if connection.vendor == "postgresql":
        notification = _claim_in_one_statement(now)
    else:
        notification = _claim_row(now)
    if notification is not None and notification.status == NotificationStatus.FAILED:
        logger.error("notification %s failed: the worker died on every attempt", notification.pk)
    return notification


@transaction.atomic
def _claim_row(now) -> Notification | None:
    notification = (
        _due(now).select_for_update(skip_locked=True).order_by("next_attempt_at", "id").first()
    )
    if notification is None:
        return None
    if notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        # The last allowed attempt was claimed but never recorded an outcome.
        notification.status = NotificationStatus.FAILED
        notification.last_error = _DIED.format(notification.attempts)
        notification.save(update_fields=["status", "last_error"])
        return notification
    notification.attempts += 1
    notification.next_attempt_at = now + dt.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)
    fields = ["attempts", "next_attempt_at"]
    if send_once(notification):
        notification.status = NotificationStatus.SENDING
        fields.append("status")
    notification.save(update_fields=fields)
    return notification


def _claim_in_one_statement(now) -> Notification | None:
    """``_claim_row`` as one UPDATE … RETURNING, its own transaction (one round trip, no
    model to save): lock the oldest due row no one holds, then count the attempt and
    lease the row, or fail it after its last allowed attempt.

    A claim lost in a database crash only means an uncounted attempt, so its commit need
    not wait for the disk — but "sending" must survive one, since it is what prevents a
    resend: RETURNING sets ``synchronous_commit`` for this statement's own commit (inside
    a caller's transaction, whose commit it would be, it leaves it on)."""
    table = Notification._meta.db_table
    spent = "n.attempts >= %(max)s"
    rows = Notification.objects.raw(
        f"""
        UPDATE {table} AS n SET
            attempts = CASE WHEN {spent} THEN n.attempts ELSE n.attempts + 1 END,
            next_attempt_at = CASE WHEN {spent} THEN n.next_attempt_at ELSE %(lease)s END,
            status = CASE WHEN {spent} THEN %(failed)s
                          WHEN n.channel = ANY(%(send_once)s::text[]) THEN %(sending)s
                          ELSE n.status END,
            last_error = CASE WHEN {spent} THEN replace(%(died)s, '{{}}', n.attempts::text)
                              ELSE n.last_error END
        WHERE n.id = (
            SELECT id FROM {table}
            WHERE status = %(pending)s AND next_attempt_at <= %(now)s
            ORDER BY next_attempt_at, id
            LIMIT 1
            FOR UPDATE SKIP LOCKED
        )
        RETURNING n.*, set_config(
            'synchronous_commit',
            CASE WHEN n.status = %(sending)s OR %(in_transaction)s THEN 'on' ELSE 'off' END,
            true
        ) AS commit_waits_for_disk
        """,  # noqa: S608 (the table's name only)
        {
            "max": settings.NOTIFY_MAX_ATTEMPTS,
            "lease": now + dt.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS),
            "failed": NotificationStatus.FAILED,
            "sending": NotificationStatus.SENDING,
            "pending": NotificationStatus.PENDING,
            "send_once": list(settings.NOTIFY_SEND_ONCE_CHANNELS),
            "died": _DIED,
            "now": now,
            "in_transaction": connection.in_atomic_block,
        },
        using=connection.alias,  # a write, wherever reads are routed
    )
    return next(iter(rows), None)


def _attempt(notification: Notification, backend) -> str:
    """Send outside any transaction, since the claim's lease keeps other workers off the
    row, and record the outcome only while the row is still this attempt's."""
    try:
        _send(notification, backend)
    except SoftTimeLimitExceeded:
        raise  # the task is out of time; the row waits out its lease
    except Exception as error:  # any channel failure is retried; the text holds no secrets
        changes = {"last_error": f"{type(error).__name__}: {error}"[:2000]}
        if send_once(notification):
            changes["status"] = NotificationStatus.PENDING
        if send_once(notification) and not _surely_not_accepted(error):
            changes["status"], outcome = NotificationStatus.UNKNOWN, "unknown"
            logger.error("notification %s: outcome unknown, not sent again", notification.pk)
        elif notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            changes["status"], outcome = NotificationStatus.FAILED, "failed"
        else:
            changes["next_attempt_at"] = timezone.now() + retry_delay(notification.attempts)
            outcome = "retrying"
        logger.warning("notification %s attempt %s failed", notification.pk, notification.attempts)
    else:
        if not send_once(notification):
            recorded = _retrying_while_database_out(
                lambda: _mark_sent(notification), f"notification {notification.pk}"
            )
            return "sent" if recorded else "lost"
        changes = {"status": NotificationStatus.SENT, "sent_at": timezone.now()}
        outcome = "sent"
    recorded = _record(
        notification,
        changes,
        NotificationStatus.SENDING if send_once(notification) else NotificationStatus.PENDING,
    )
    # Not recorded: the send outlasted the lease and another attempt took the row; it
    # carries the same idempotency key, so the gateway delivers the message once.
    return outcome if recorded else "lost"


def _surely_not_accepted(error: Exception) -> bool:
    """Whether a failed send proves the channel did not take the message."""
    if isinstance(error, SmsError):
        return not isinstance(error, SmsOutcomeUnknown)
    # SMTP: the server answered with an error code, or no connection was ever made.
    return isinstance(
        error,
        smtplib.SMTPResponseException
        | smtplib.SMTPRecipientsRefused
        | ConnectionRefusedError
        | socket.gaierror,
    )


def _send(notification: Notification, backend) -> None:
    key = str(notification.idempotency_key)
    if notification.channel == Channel.SMS:
        backend.send(Sms(to=notification.address, text=notification.body, idempotency_key=key))
    elif notification.channel == Channel.EMAIL:
        # SMTP cannot deduplicate; a stable Message-ID lets mail systems drop a repeat.
        EmailMessage(
            subject=notification.title,
            body=notification.body,
            to=[notification.address],
            headers={"Message-ID": f"<{key}@liaison.notifications>"},
        ).send()
    # In-app: the row itself is the message in the user's inbox; marking it sent is delivery.


def _record(notification: Notification, changes: dict, status=NotificationStatus.PENDING) -> int:
    """Write the outcome of a send that happened."""
    return _retrying_while_database_out(
        lambda: Notification.objects.filter(
            pk=notification.pk, status=status, attempts=notification.attempts
        ).update(**changes),
        f"notification {notification.pk}",
    )


def _retrying_while_database_out(write, what: str) -> int:
    """If the database is out when an outcome is written, keep trying (within the lease)
    rather than let the rows be sent again after it."""
    deadline = time.monotonic() + settings.NOTIFY_LEASE_SECONDS / 2
    while True:
        try:
            return write()
        except (OperationalError, InterfaceError):
            if time.monotonic() > deadline:
                raise
            logger.warning("%s: database out, outcome kept", what)
            connection.close()
            time.sleep(settings.NOTIFY_DATABASE_RETRY_SECONDS)
