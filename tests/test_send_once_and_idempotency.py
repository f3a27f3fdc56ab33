"""A move retried by a client is made once (Idempotency-Key, the staff forms' token), and a
send-once channel never sends again a message whose outcome is unknown."""

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from liaison.base import api_tokens
from liaison.base.idempotency import idempotency_keys_purge
from liaison.base.models import IdempotencyKey
from liaison.base.notifications import delivery
from liaison.base.notifications.models import Notification, NotificationStatus
from liaison.base.notifications.services import (
    notifications_enqueue,
    notifications_resolve_unknown,
)
from suggestions.models import CaseEvent, Step
from tests.case_world import case_at, make_world
from tests.clock import frozen
from tests.test_outbox import sms

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_tokens.issue(user)[1]}")
    return client


def supervise(client, case, key, note="请加快办理"):
    return client.post(
        f"/api/v1/cases/{case.pk}/supervise/",
        {"note": note},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


@frozen()
def test_an_api_move_retried_with_the_same_key_is_made_once():
    world = make_world()
    case = case_at(world, Step.HANDLING)
    client = token_client(world.users["committee"])
    first = supervise(client, case, "retry-1")
    assert first.status_code == 200
    again = supervise(client, case, "retry-1")
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert json.loads(again.content) == json.loads(first.content)
    assert CaseEvent.objects.filter(case=case, kind="supervise").count() == 1
    # The same key on another request is refused; another key is another move.
    assert supervise(client, case, "retry-1", note="另一条").status_code == 422
    assert supervise(client, case, "retry-2").status_code in (200, 409)


@frozen()
def test_a_refused_api_move_frees_its_key_and_keys_are_per_user():
    world = make_world()
    case = case_at(world, Step.HANDLING)
    unit = token_client(world.users["lead_unit"])
    refused = supervise(unit, case, "k")  # a unit may not supervise
    assert refused.status_code == 403
    assert not IdempotencyKey.objects.exists()
    committee = token_client(world.users["committee"])
    assert supervise(committee, case, "k").status_code == 200  # another user's key


@frozen()
def test_a_key_whose_request_never_answered_is_not_run_again():
    world = make_world()
    case = case_at(world, Step.HANDLING)
    user = world.users["committee"]
    IdempotencyKey.objects.create(
        user=user, scope="api", key="lost", method="POST",
        path=f"/api/v1/cases/{case.pk}/supervise/", fingerprint="x",
    )  # fmt: skip
    response = supervise(token_client(user), case, "lost")
    assert response.status_code in (409, 422)
    assert not CaseEvent.objects.filter(case=case, kind="supervise").exists()


@frozen()
def test_a_staff_form_sent_twice_is_made_once(client):
    world = make_world()
    case = case_at(world, Step.HANDLING)
    client.force_login(world.users["committee"])
    url = f"/staff/cases/{case.pk}/move/supervise/"
    data = {"supervise-note": "请加快办理", "_once": "a1b2c3"}
    detail = f"/staff/cases/{case.pk}/"
    assert client.post(url, data, HTTP_REFERER=f"http://testserver{detail}").status_code == 302
    repeat = client.post(url, data, HTTP_REFERER=f"http://testserver{detail}")
    assert repeat.status_code == 302 and repeat["Location"] == f"http://testserver{detail}"
    assert CaseEvent.objects.filter(case=case, kind="supervise").count() == 1
    page = client.get(detail).content.decode()
    assert "已经提交过" in page
    # A new token is a new intention.
    client.post(url, {**data, "_once": "d4e5f6"})
    assert CaseEvent.objects.filter(case=case, kind="supervise").count() == 2


def test_old_keys_are_purged():
    world = make_world()
    IdempotencyKey.objects.create(
        user=world.users["committee"], scope="form", key="old", method="POST", path="/", fingerprint=""
    )  # fmt: skip
    later = timezone.now() + dt.timedelta(hours=25)
    assert idempotency_keys_purge(now=later) == 1


@pytest.fixture
def send_once(settings, sms_gateway):
    settings.NOTIFY_SEND_ONCE_CHANNELS = ["sms"]
    return sms_gateway


@frozen()
def test_send_once_leaves_an_unanswered_message_to_an_operator(send_once):
    notifications_enqueue(notifications=[sms(1)])
    send_once.lose_answer_next = 1
    send_once.late_by = 2.0
    report = delivery.notifications_deliver()
    assert report.unknown == 1
    row = Notification.objects.get()
    assert row.status == NotificationStatus.UNKNOWN
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        delivery.notifications_deliver()
    assert len(send_once.requests) == 1  # never sent again on its own
    assert notifications_resolve_unknown(ids=[row.pk], sent=True) == 1
    assert Notification.objects.get().status == NotificationStatus.SENT


@frozen()
def test_send_once_retries_what_the_gateway_refused(send_once):
    notifications_enqueue(notifications=[sms(1)])
    send_once.fail_next = 1  # answers 503: surely not accepted
    assert delivery.notifications_deliver().retrying == 1
    assert Notification.objects.get().status == NotificationStatus.PENDING
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        assert delivery.notifications_deliver().sent == 1


@frozen()
def test_send_once_a_worker_that_died_while_sending_leaves_the_row_unknown(send_once, settings):
    notifications_enqueue(notifications=[sms(1)])
    claimed = delivery._claim(timezone.now())  # the worker dies after its claim
    assert claimed.status == NotificationStatus.SENDING
    with time_machine.travel(
        timezone.now() + dt.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS + 1)
    ):
        report = delivery.notifications_deliver()
    assert report.unknown == 1 and report.sent == 0
    assert Notification.objects.get().status == NotificationStatus.UNKNOWN
    assert send_once.requests == []
    # The operator checked: not received, send it once more.
    assert notifications_resolve_unknown(ids=[claimed.pk], sent=False) == 1
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1)):
        assert delivery.notifications_deliver().sent == 1
