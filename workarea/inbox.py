"""The message centre: a user's in-app notifications (liaison/base/notifications/).

The outbox row is the message (delivery marks it sent); this module only reads the
user's rows and records when they were read. Links go to the staff page of the row's
subject; a subject the user may no longer see is that page's 404, never a leak here.
"""

from django.db.models import Count, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from liaison.base import auth
from liaison.base.compiled import CompiledQuery
from liaison.base.notifications.models import Channel, Notification

# subject_type → the staff page that shows it.
SUBJECT_PAGES = {
    "suggestions.case": "staff:case-detail",
    "suggestions.suggestion": "staff:suggestion-detail",
    "stations.receptionday": "staff:reception-day",
    "duty.activity": "staff:duty-activity",
    "representatives.representative": "staff:duty-record",
}


def messages_of(user) -> QuerySet[Notification]:
    """The user's in-app messages, newest first (the notification_inbox_idx index)."""
    return Notification.objects.filter(user=user, channel=Channel.IN_APP).order_by(
        "-created_at", "-id"
    )


# The header counts a user's unread messages up to this many and shows "99+" beyond: a
# committee member told of every escalation may leave thousands unread, and every staff
# page would count them all.
UNREAD_COUNTED = 100


def unread_count(user) -> int:
    """Read by the header of every staff page: brought by the request's user
    (``unread_read``), or by SQL built once (``CompiledQuery``). At most
    ``UNREAD_COUNTED``: that many or more is "99+" (``unread_shown``)."""
    if not user.is_authenticated:
        return 0
    found = auth.read_with(user, "unread")
    if found is not auth.NOT_READ:
        return found or 0
    counted = _UNREAD.rows(user.pk)
    return counted[0][0] if counted else 0


def unread_read(user_id: int) -> Subquery:
    """The unread count, read with the request's user (``liaison.base.auth``); NULL: none."""
    return Subquery(_unread(user_id))


def unread_shown(count: int) -> str:
    return f"{UNREAD_COUNTED - 1}+" if count >= UNREAD_COUNTED else str(count)


def _unread(user_id: int):
    # The first UNREAD_COUNTED of the unread rows (the partial index notification_unread_idx),
    # then counted: bounded whatever the backlog.
    first = (
        Notification.objects.filter(user_id=user_id, channel=Channel.IN_APP, read_at__isnull=True)
        .order_by()
        .values("pk")[:UNREAD_COUNTED]
    )
    return (
        Notification.objects.filter(pk__in=first)
        .order_by()
        .values("user_id")  # one group: the user's, absent when nothing is unread
        .annotate(unread=Count("pk"))
        .values_list("unread")
    )


_UNREAD = CompiledQuery(Notification, _unread)


def subject_url(notification: Notification) -> str | None:
    name = SUBJECT_PAGES.get(notification.subject_type)
    if name is None:
        return None
    try:
        return reverse(name, args=[notification.subject_id])
    except NoReverseMatch:
        return None


def message_mark_read(*, user, message_id: int) -> Notification:
    """Marks one of the user's messages read (once: the first reading time stays)."""
    auth.forget_read_with(user, "unread")
    message = messages_of(user).get(pk=message_id)
    if message.read_at is None:
        message.read_at = timezone.now()
        Notification.objects.filter(pk=message.pk, read_at__isnull=True).update(
            read_at=message.read_at
        )
    return message


def messages_mark_all_read(*, user) -> int:
    auth.forget_read_with(user, "unread")
    return messages_of(user).filter(read_at__isnull=True).update(read_at=timezone.now())
