import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    IN_APP = "in_app", _("In the app")


class NotificationKind(models.TextChoices):
    RECEPTION_NOTICE = "reception_notice", _("Reception-day notice to an on-duty representative")
    RECEPTION_CANCELLED = "reception_cancelled", _("Reception day cancelled")
    RECEPTION_DAY_OFF = "reception_day_off", _("A reception day now falls on a day off")
    CASE_SUBMITTED = "case_submitted", _("Online opinion received (to the constituent)")
    CASE_CHANGED = "case_changed", _("A case moved")
    CASE_UNREGISTERED = "case_unregistered", _("A case is still unregistered")
    CASE_UNASSIGNED = "case_unassigned", _("A registered case is still not assigned")
    CASE_DUE_SOON = "case_due_soon", _("A case is due soon")
    CASE_ESCALATED = "case_escalated", _("A case is overdue and escalated")
    CASE_TO_CONSTITUENT = "case_to_constituent", _("A reply or a closing (to the constituent)")
    CASE_CALLBACK = "case_callback", _("A case sampled for a call-back")
    # Representative suggestions (suggestions/proposals/).
    SUGGESTION_ASSIGNED = "suggestion_assigned", _("Suggestion assigned to a unit")
    SUGGESTION_STARTED = "suggestion_started", _("Suggestion handling started")
    SUGGESTION_EXTENSION = "suggestion_extension", _("Suggestion reply extension requested")
    SUGGESTION_REPLIED = "suggestion_replied", _("Suggestion replied")
    SUGGESTION_DUE_SOON = "suggestion_due_soon", _("Suggestion due soon")
    SUGGESTION_OVERDUE = "suggestion_overdue", _("Suggestion overdue")
    SUGGESTION_COUNIT_DUE = "suggestion_counit_due", _("Co-unit opinion overdue")
    # Duty records (duty/).
    QUOTA_BEHIND = "quota_behind", _("A duty quota is behind")
    ACTIVITY_TO_CONFIRM = "activity_to_confirm", _("An activity waits for confirmation")
    # Livelihood projects (projects/).
    PROJECT_ASSIGNED = "project_assigned", _("A livelihood project assigned to a unit")
    PROJECT_MILESTONE_DUE = "project_milestone_due", _("A project milestone is due soon")
    PROJECT_MILESTONE_OVERDUE = "project_milestone_overdue", _("A project milestone is overdue")
    # The work area (workarea/digests.py).
    MESSAGE_DIGEST = "message_digest", _("Daily digest of unread messages")
    # Staff accounts (liaison/wiring/staff/passwords.py).
    PASSWORD_RESET = "password_reset", _("Password reset link")


# What the constituent is sent (an SMS to the phone they gave): the rows whose address
# erasing a visit's personal data clears (suggestions/cases/privacy.py).
TO_CONSTITUENT_KINDS = (NotificationKind.CASE_SUBMITTED, NotificationKind.CASE_TO_CONSTITUENT)


class NotificationStatus(models.TextChoices):
    # Waiting for its first delivery or, after a failed attempt, for next_attempt_at.
    PENDING = "pending", _("Pending")
    # Accepted by the channel; the row never leaves this state.
    SENT = "sent", _("Sent")
    # Gave up after the last allowed attempt; an administrator may re-send it.
    FAILED = "failed", _("Failed")
    # Send-once channels (NOTIFY_SEND_ONCE_CHANNELS): recorded before the call to the
    # gateway, so that a worker that dies while sending leaves a trace, not a resend.
    SENDING = "sending", _("Sending")
    # The gateway may or may not have accepted it (a timeout after the request went out,
    # a worker killed while sending): never sent again without an operator's look.
    UNKNOWN = "unknown", _("Outcome unknown")


class Notification(models.Model):
    """One message to one recipient on one channel about one subject.

    ``dedupe_key`` is unique: a sweep that runs twice writes the row once.
    ``idempotency_key`` goes to the channel with every attempt, so a retry of a
    message the gateway already accepted is recognised there and not sent again.
    """

    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    subject_type = models.CharField(
        _("subject type"), max_length=60, help_text=_("e.g. stations.receptionday")
    )
    subject_id = models.BigIntegerField(_("subject id"))
    recipient_key = models.CharField(
        _("recipient"), max_length=60, help_text=_("e.g. representative:12 or user:3")
    )
    recipient_name = models.CharField(_("recipient name"), max_length=100, blank=True)
    address = models.CharField(
        _("address"), max_length=254, blank=True, help_text=_("Phone number or email address.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        help_text=_("The login that sees an in-app notification."),
        db_index=False,  # notification_inbox_idx: only the rows that have one (in-app)
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    due_date = models.DateField(_("due date"))
    # Unique, without the pattern-ops copy Django adds for LIKE (migration 0023 drops it:
    # a key is looked up whole; an AlterField of this column would bring it back).
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, unique=True)
    # A random UUID: unique without a unique index (nothing looks a row up by it), which
    # would cost every row written a random page of its own.
    idempotency_key = models.UUIDField(_("idempotency key"), default=uuid.uuid4, editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NotificationStatus,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The delivery claim: pending rows whose time has come, oldest first.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(status="pending"),
                name="notification_due_idx",
            ),
            # The support's filters (failed, unknown, stuck sending, sent): pending rows,
            # which a sweep writes by the ten thousand, are the delivery claim's (above).
            models.Index(
                fields=["status", "kind"],
                condition=~models.Q(status="pending"),
                name="notification_status_kind_idx",
            ),
            # The inbox, and a deleted login's rows: the rows that have a user (the
            # in-app ones), not the email and SMS rows a sweep writes beside them.
            models.Index(
                fields=["user", "created_at"],
                condition=models.Q(user__isnull=False),
                name="notification_inbox_idx",
            ),
            # The header's unread count on every staff page: only the unread in-app rows,
            # read from the index alone, however many a login has read over the years
            # (through the inbox index every row of theirs was fetched from the table).
            models.Index(
                fields=["user"],
                condition=models.Q(
                    channel=Channel.IN_APP, read_at__isnull=True, user__isnull=False
                ),
                name="notification_unread_idx",
            ),
            # The constituent's rows by their case, for erasing their phone: a few per
            # case, none of the rows a sweep writes by the ten thousand.
            models.Index(
                fields=["subject_id"],
                condition=models.Q(kind__in=TO_CONSTITUENT_KINDS),
                name="notification_constituent_idx",
            ),
            # No other index on the subject or the due date: the application reads no rows by
            # them (the admin's due-date filter scans, as its newest-first list does), and a
            # sweep writes tens of thousands of rows at once, each an entry in every index.
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="notification_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(channel="in_app") | models.Q(user__isnull=False),
                name="notification_in_app_has_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_name or self.recipient_key}"
