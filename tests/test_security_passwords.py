"""Staff passwords: reset by a link sent through the outbox, and expiry after
PASSWORD_MAX_AGE_DAYS (the next login opens only the password change page)."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from liaison.base.audit import AuditAction, AuditRecord
from liaison.base.notifications.models import Channel, Notification, NotificationKind
from liaison.base.passwords import PasswordAge
from tests.public_helpers import fresh_cache  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

User = get_user_model()
PASSWORD = "Liaison#2026x"
NEW = "Xing-Sha#88"


def _link(notification) -> str:
    return re.search(r"http://testserver(/staff/password/reset/\S+)", notification.body).group(1)


def test_a_forgotten_password_is_reset_by_a_link_sent_through_the_outbox():
    user = User.objects.create_user("clerk", email="clerk@example.cn", password=PASSWORD)
    client = Client()
    assert 'href="/staff/password/reset/"' in client.get("/staff/login/").content.decode()
    response = client.post("/staff/password/reset/", {"username": "clerk"})
    assert response.status_code == 200
    notification = Notification.objects.get(kind=NotificationKind.PASSWORD_RESET)
    assert (notification.channel, notification.address) == (Channel.EMAIL, "clerk@example.cn")
    link = _link(notification)
    page = client.get(link, follow=True)
    assert page.status_code == 200
    weak = client.post(
        page.redirect_chain[-1][0], {"new_password1": "liaison2026", "new_password2": "liaison2026"}
    )
    assert weak.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    done = client.post(page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == "/staff/login/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    # The link is good once.
    assert (
        "no longer good"
        in Client(headers={"accept-language": "en"}).get(link, follow=True).content.decode()
    )
    assert AuditRecord.objects.filter(
        action=AuditAction.PASSWORD, username="clerk", detail="reset"
    ).exists()


def test_the_answer_is_the_same_for_an_unknown_login_and_requests_are_limited():
    User.objects.create_user("noemail", password=PASSWORD)
    client = Client(REMOTE_ADDR="10.3.0.1", headers={"accept-language": "en"})
    known = client.post("/staff/password/reset/", {"username": "noemail"})
    unknown = client.post("/staff/password/reset/", {"username": "nobody"})
    assert known.status_code == unknown.status_code == 200
    for response in (known, unknown):
        assert "If this login has an email address" in response.content.decode()
    assert not Notification.objects.exists()
    for _ in range(3):
        client.post("/staff/password/reset/", {"username": "nobody"})
    assert client.post("/staff/password/reset/", {"username": "nobody"}).status_code == 400


def test_the_admin_does_not_show_a_reset_link():
    User.objects.create_user("clerk", email="clerk@example.cn", password=PASSWORD)
    Client().post("/staff/password/reset/", {"username": "clerk"})
    notification = Notification.objects.get(kind=NotificationKind.PASSWORD_RESET)
    admin = Client()
    admin.force_login(User.objects.create_superuser("root", password=PASSWORD))
    page = admin.get(f"/admin/liaison/notification/{notification.pk}/change/").content.decode()
    assert _link(notification) not in page


def test_an_expired_password_must_be_changed_at_the_next_login(settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = User.objects.create_user("clerk", password=PASSWORD)
    # Counted from the account's creation until the password is first changed.
    assert not PasswordAge.objects.filter(user=user).exists()
    with time_machine.travel(timezone.now() + dt.timedelta(days=91)):
        client = Client()
        login = client.post("/staff/login/", {"username": "clerk", "password": PASSWORD})
        assert login.status_code == 302
        assert client.get("/staff/")["Location"] == "/staff/password/"
        page = client.get("/staff/password/")
        assert page.status_code == 200
        assert (
            "密码已过期" in page.content.decode() and "密码有效期为 90 天" in page.content.decode()
        )
        response = client.post(
            "/staff/password/",
            {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        )
        assert response.status_code == 302
        assert PasswordAge.objects.get(user=user).changed_at > user.date_joined
        assert client.get("/staff/").status_code == 200
        # Counted from the change: the next login goes straight in.
        again = Client()
        again.post("/staff/login/", {"username": "clerk", "password": NEW})
        assert again.get("/staff/").status_code == 200


def test_without_expiry_an_old_password_stays_good(settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    User.objects.create_user("clerk", password=PASSWORD)
    with time_machine.travel(timezone.now() + dt.timedelta(days=400)):
        client = Client()
        client.post("/staff/login/", {"username": "clerk", "password": PASSWORD})
        assert client.get("/staff/").status_code == 200
