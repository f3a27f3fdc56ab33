import datetime as dt
import threading
import time

import pytest
import time_machine
from django.db import connections, transaction
from django.urls import reverse
from django.utils import timezone

from liaison.base.notifications.delivery import notifications_deliver, retry_delay
from liaison.base.notifications.models import Channel, Notification, NotificationStatus
from liaison.base.notifications.services import notifications_enqueue, notifications_resend
from tests.clock import frozen
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sms(number: int, **kwargs) -> Notification:
    return Notification(
        kind="reception_notice",
        channel=Channel.SMS,
        subject_type="stations.receptionday",
        subject_id=number,
        recipient_key=f"representative:{number}",
        address=f"138{number:08d}",
        title="接待日",
        body=f"第{number}号通知",
        due_date=dt.date(2026, 10, 9),
        dedupe_key=f"test:{number}",
        **kwargs,
    )


def test_the_same_dedupe_key_is_written_once():
    """Enqueueing a notice twice leaves one row."""
    notifications_enqueue(notifications=[sms(1)])
    notifications_enqueue(notifications=[sms(1), sms(2)])
    assert Notification.objects.count() == 2


@frozen()
def test_failed_attempts_back_off_exponentially_then_succeed(sms_gateway):
    """A 503 schedules the next attempt after 60 s, then 120 s; the third attempt sends."""
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]
    notifications_enqueue(notifications=[sms(1)])
    sms_gateway.fail_next = 2
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert notifications_deliver().retrying == 1
        row = Notification.objects.get()
        assert (row.attempts, row.status) == (1, NotificationStatus.PENDING)
        assert row.next_attempt_at == start + dt.timedelta(seconds=60)
        assert "503" in row.last_error
        assert notifications_deliver().handled == 0  # not yet due
        clock.shift(61)
        assert notifications_deliver().retrying == 1
        clock.shift(121)
        assert notifications_deliver().sent == 1
    row.refresh_from_db()
    assert (row.attempts, row.status) == (3, NotificationStatus.SENT)
    assert len(sms_gateway.delivered) == 1


@frozen()
def test_an_answer_lost_after_the_gateway_accepted_is_not_sent_twice(sms_gateway):
    """The gateway accepts but its answer never arrives: the retry carries the same
    idempotency key, and the gateway delivers the message once."""
    notifications_enqueue(notifications=[sms(1)])
    sms_gateway.lose_answer_next = 1
    sms_gateway.late_by = 2.0
    assert notifications_deliver().retrying == 1
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        assert notifications_deliver().sent == 1
    assert len(sms_gateway.requests) == 2
    assert len(sms_gateway.delivered) == 1
    keys = {request["idempotency_key"] for request in sms_gateway.requests}
    assert keys == {str(Notification.objects.get().idempotency_key)}


def test_after_the_last_attempt_it_fails_and_an_admin_can_resend(
    sms_gateway, settings, admin_client
):
    """Failed notifications show in the admin; "re-send" gives them new attempts."""
    settings.NOTIFY_MAX_ATTEMPTS = 1
    notifications_enqueue(notifications=[sms(1), sms(2)])
    sms_gateway.fail_next = 2
    assert notifications_deliver().failed == 2
    listing = admin_client.get(
        reverse("admin:liaison_notification_changelist"), {"status__exact": "failed"}
    )
    assert listing.status_code == 200
    assert "503" in listing.content.decode()
    one = Notification.objects.order_by("pk").first()
    response = admin_client.post(
        reverse("admin:liaison_notification_changelist"),
        {"action": "resend_failed", "_selected_action": [one.pk]},
    )
    assert response.status_code == 302
    one.refresh_from_db()
    assert (one.status, one.attempts) == (NotificationStatus.PENDING, 0)
    assert notifications_deliver().sent == 1
    assert notifications_resend() == 1
    assert notifications_deliver().sent == 1
    assert len(sms_gateway.delivered) == 2


def test_in_app_notifications_are_delivered_by_marking_them_sent():
    """An in-app notice needs no channel: delivery makes it visible in the user's inbox."""
    user = UserFactory()
    notice = sms(1, user=user)
    notice.channel, notice.address = Channel.IN_APP, ""
    notifications_enqueue(notifications=[notice])
    assert notifications_deliver().sent == 1
    assert user.notifications.get().sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_another_delivery_is_skipped_not_waited_for(postgres, sms_gateway):
    """SKIP LOCKED: while one worker holds a row, another delivers the rest at once."""
    notifications_enqueue(notifications=[sms(1), sms(2)])
    first = Notification.objects.order_by("next_attempt_at", "id").first()
    locked, release = threading.Event(), threading.Event()

    def hold_first_row():
        try:
            with transaction.atomic():
                Notification.objects.select_for_update().get(pk=first.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_first_row)
    holder.start()
    assert locked.wait(5)
    try:
        assert notifications_deliver().sent == 1
    finally:
        release.set()
        holder.join()
    assert Notification.objects.get(pk=first.pk).status == NotificationStatus.PENDING
    assert notifications_deliver().sent == 1


class WorkerDied(BaseException):
    """What a SIGKILL or an out-of-memory kill looks like from inside: nothing is handled."""


class DyingOnOneNumber:
    """An SMS backend at the edge of the world whose sender dies on one message."""

    sent: list[str] = []

    def send(self, message):
        if message.to == "13800000002":
            raise WorkerDied
        DyingOnOneNumber.sent.append(message.to)


@frozen()
def test_a_message_that_kills_the_worker_stops_blocking_and_fails_after_its_attempts(settings):
    """The oldest row kills its sender every time: each death costs it an attempt and a
    lease, the rows behind it go out meanwhile, and after the last attempt it fails."""
    settings.SMS_BACKEND = "tests.test_outbox.DyingOnOneNumber"
    settings.NOTIFY_MAX_ATTEMPTS = 3
    DyingOnOneNumber.sent = []
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        notifications_enqueue(notifications=[sms(2), sms(1), sms(3)])
        Notification.objects.filter(address="13800000002").update(
            next_attempt_at=start - dt.timedelta(minutes=1)
        )
        for attempt in (1, 2, 3):
            with pytest.raises(WorkerDied):
                notifications_deliver()
            poison = Notification.objects.get(address="13800000002")
            assert (poison.attempts, poison.status) == (attempt, NotificationStatus.PENDING)
            assert poison.next_attempt_at == timezone.now() + dt.timedelta(
                seconds=settings.NOTIFY_LEASE_SECONDS
            )
            # The restarted worker delivers what waits behind the dead row.
            assert notifications_deliver().sent == (2 if attempt == 1 else 0)
            clock.shift(settings.NOTIFY_LEASE_SECONDS + 1)
        assert notifications_deliver().failed == 1
    poison.refresh_from_db()
    assert (poison.status, poison.attempts) == (NotificationStatus.FAILED, 3)
    assert "died" in poison.last_error
    assert sorted(DyingOnOneNumber.sent) == ["13800000001", "13800000003"]
    assert notifications_resend(ids=[poison.pk]) == 1  # an administrator may try again


@frozen()
def test_a_claimed_row_is_not_claimed_again_within_its_lease(sms_gateway, settings):
    """A worker that died after the claim leaves the row to wait out the lease, then the
    next attempt sends it with the same idempotency key."""
    notifications_enqueue(notifications=[sms(1)])
    from liaison.base.notifications.delivery import _claim

    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert _claim(timezone.now()).attempts == 1  # ... and the worker died here
        assert notifications_deliver().handled == 0
        clock.shift(settings.NOTIFY_LEASE_SECONDS + 1)
        assert notifications_deliver().sent == 1
    row = Notification.objects.get()
    assert (row.attempts, row.status) == (2, NotificationStatus.SENT)
    assert len(sms_gateway.delivered) == 1


@frozen()
def test_each_success_is_recorded_at_once_so_a_death_resends_only_the_message_in_flight(
    postgres, sms_gateway, settings, monkeypatch
):
    """A worker that dies after the gateway accepted a message and before recording it
    leaves that one row to its lease; the rows before it are recorded, the next attempt
    carries the same key, and the gateway has each message once."""
    from liaison.base.notifications import delivery

    mark_sent, calls = delivery._mark_sent, []

    def dies_on_the_third(notification):
        calls.append(notification.pk)
        if len(calls) == 3:
            raise WorkerDied
        return mark_sent(notification)

    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        notifications_enqueue(notifications=[sms(n) for n in range(1, 6)])
        monkeypatch.setattr(delivery, "_mark_sent", dies_on_the_third)
        with pytest.raises(WorkerDied):
            notifications_deliver()
        assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 2
        monkeypatch.setattr(delivery, "_mark_sent", mark_sent)
        assert notifications_deliver().sent == 2  # the two never sent; the third is leased
        clock.shift(settings.NOTIFY_LEASE_SECONDS + 1)
        assert notifications_deliver().sent == 1
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 5
    assert len(sms_gateway.requests) == 6 and len(sms_gateway.delivered) == 5


def test_a_success_recorded_inside_a_caller_s_transaction_leaves_its_commit_durable(
    postgres, sms_gateway
):
    """Outside a transaction a recorded success's own commit does not wait for the disk;
    inside a caller's, whose commit it would be, synchronous_commit stays on."""
    from django.db import connection, transaction

    from liaison.base.notifications import delivery

    notifications_enqueue(notifications=[sms(1)])
    with transaction.atomic():
        assert notifications_deliver().sent == 1
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
    assert delivery._mark_sent(Notification.objects.get()) == 0  # not this attempt's now


def _texts(count: int, run: str = "k") -> list:
    from liaison.base.notifications.sms import Sms

    return [
        Sms(to=f"1380000000{n}", text="接待日", idempotency_key=f"{run}{n}") for n in range(count)
    ]


def test_one_delivery_run_keeps_one_connection_to_the_gateway(sms_gateway):
    from liaison.base.notifications.sms import HttpGatewaySmsBackend

    backend = HttpGatewaySmsBackend()
    for message in _texts(3):
        backend.send(message)
    backend.close()
    assert len(sms_gateway.peers) == 3
    assert len(set(sms_gateway.peers)) == 1
    assert set(sms_gateway.delivered) == {"k0", "k1", "k2"}


def test_a_kept_connection_the_gateway_closed_is_replaced_and_each_message_arrives_once(
    sms_gateway,
):
    from liaison.base.notifications.sms import HttpGatewaySmsBackend

    backend = HttpGatewaySmsBackend()
    first, second, third = _texts(3)
    backend.send(first)
    sms_gateway.drop_connections()
    time.sleep(0.05)  # the gateway's side is closed before the client writes again
    backend.send(second)
    backend.send(third)
    backend.close()
    assert set(sms_gateway.delivered) == {"k0", "k1", "k2"}
    assert [request["idempotency_key"] for request in sms_gateway.requests] == ["k0", "k1", "k2"]
    assert len(set(sms_gateway.peers)) == 2


def test_a_gateway_that_does_not_deduplicate_gets_a_connection_per_message(sms_gateway, settings):
    """Send-once SMS: a kept connection that fails cannot say whether the message went,
    so each message has a connection of its own."""
    from liaison.base.notifications.sms import HttpGatewaySmsBackend

    settings.NOTIFY_SEND_ONCE_CHANNELS = ["sms"]
    backend = HttpGatewaySmsBackend()
    for message in _texts(3):
        backend.send(message)
    backend.close()
    assert len(set(sms_gateway.peers)) == 3
    settings.NOTIFY_SEND_ONCE_CHANNELS, settings.SMS_GATEWAY_KEEP_ALIVE = [], False
    for message in _texts(2, run="off"):
        backend.send(message)
    assert len(set(sms_gateway.peers)) == 5
    assert len(sms_gateway.delivered) == 5


def test_a_refusing_or_silent_gateway_on_a_kept_connection_is_reported_as_before(sms_gateway):
    """An error answer on a kept connection: not accepted; no answer in time: unknown. The
    next message goes on a new connection."""
    from liaison.base.notifications.sms import HttpGatewaySmsBackend, SmsError, SmsOutcomeUnknown

    backend = HttpGatewaySmsBackend()
    messages = _texts(4)
    backend.send(messages[0])
    sms_gateway.fail_next = 1
    with pytest.raises(SmsError) as refused:
        backend.send(messages[1])
    assert not isinstance(refused.value, SmsOutcomeUnknown)
    sms_gateway.lose_answer_next, sms_gateway.late_by = 1, 1.5
    with pytest.raises(SmsOutcomeUnknown):
        backend.send(messages[2])
    backend.send(messages[3])
    backend.close()
    assert set(sms_gateway.delivered) == {"k0", "k2", "k3"}
