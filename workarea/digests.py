"""The daily digest: one email a day to each user who asked for it, listing their unread
in-app messages of the last day. Through the outbox (delivery, retries, send-once) like
every other notice; the dedupe key (user and day) makes a second run send nothing."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.base.notifications.models import Channel, Notification, NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from workarea.models import MessagePreference

LISTED = 20


def preference_set(*, user, daily_digest: bool) -> MessagePreference:
    preference, _created = MessagePreference.objects.update_or_create(
        user=user, defaults={"daily_digest": daily_digest}
    )
    return preference


def wants_digest(user) -> bool:
    return MessagePreference.objects.filter(user=user, daily_digest=True).exists()


def digests_send(*, today: dt.date | None = None) -> int:
    """Writes today's digests; returns how many were offered to the outbox."""
    today = today or timezone.localdate()
    since = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=1), dt.time()))
    users = (
        get_user_model()
        .objects.filter(message_preference__daily_digest=True, is_active=True)
        .exclude(email="")
    )
    rows = []
    with translation.override(settings.LANGUAGE_CODE):
        for user in users.order_by("pk"):
            unread = list(
                Notification.objects.filter(
                    user=user, channel=Channel.IN_APP, read_at__isnull=True, created_at__gte=since
                ).order_by("-created_at", "-id")[: LISTED + 1]
            )
            if not unread:
                continue
            lines = [f"· {message.title}" for message in unread[:LISTED]]
            if len(unread) > LISTED:
                lines.append(_("… and more in the work area."))
            rows.append(
                Notification(
                    kind=NotificationKind.MESSAGE_DIGEST,
                    channel=Channel.EMAIL,
                    subject_type="auth.user",
                    subject_id=user.pk,
                    recipient_key=f"user:{user.pk}",
                    recipient_name=(user.get_full_name() or user.username)[:100],
                    address=user.email,
                    title=_("Your unread messages"),
                    body="\n".join(lines),
                    due_date=today,
                    dedupe_key=f"digest:{user.pk}:{today.isoformat()}",
                )
            )
    notifications_enqueue(notifications=rows)
    return len(rows)
