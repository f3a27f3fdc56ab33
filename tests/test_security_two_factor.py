"""Two-factor login by TOTP (RFC 6238): required of administrators and committee staff,
asked of whoever enrolled, a code good once."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from liaison.base import totp
from liaison.base.totp import TwoFactorDevice
from tests.factories import committee_user
from tests.public_helpers import fresh_cache  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

PASSWORD = "Liaison#2026x"
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # b"12345678901234567890"


@pytest.mark.parametrize(
    "at, code", [(59, "287082"), (1111111109, "081804"), (1234567890, "005924")]
)
def test_codes_match_the_rfc_6238_vectors(at, code):
    assert totp.code_at(RFC_SECRET, totp.current_step(at)) == code


def test_a_code_one_step_either_side_is_accepted_and_two_are_not():
    now = 1_000_000_000
    for shift, good in ((-30, True), (30, True), (-60, False), (60, False)):
        code = totp.code_at(RFC_SECRET, totp.current_step(now + shift))
        assert (totp.matching_step(RFC_SECRET, code, now=now) is not None) is good


def test_the_unused_code_skips_a_spent_step_within_the_window():
    now = 1_000_000_000
    step = totp.current_step(now)
    assert totp.unused_code(RFC_SECRET, 0, now=now) == totp.code_at(RFC_SECRET, step)
    assert totp.unused_code(RFC_SECRET, step, now=now) == totp.code_at(RFC_SECRET, step + 1)
    assert totp.unused_code(RFC_SECRET, step + 1, now=now) is None


def _log_in(client, username):
    return client.post("/staff/login/", {"username": username, "password": PASSWORD})


def _code(secret):
    return totp.code_at(secret, totp.current_step(time.time()))


def test_a_committee_member_must_enrol_before_anything_else():
    user = committee_user("430121000000")
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    assert _log_in(client, user.username)["Location"] == "/staff/two-factor/"
    assert client.get("/staff/cases/")["Location"] == "/staff/two-factor/"
    page = client.get("/staff/two-factor/")
    assert "<svg" in page.content.decode()
    device = TwoFactorDevice.objects.get(user=user)
    assert client.post("/staff/two-factor/", {"code": "000000"}).status_code == 400
    assert client.post("/staff/two-factor/", {"code": _code(device.secret)}).status_code == 302
    assert client.get("/staff/cases/").status_code == 200


def test_an_enrolled_user_logs_in_with_the_code_which_is_good_once():
    admin = get_user_model().objects.create_superuser("root", password=PASSWORD)
    device = TwoFactorDevice.objects.create(
        user=admin, secret=totp.new_secret(), confirmed_at="2026-01-01T00:00:00Z"
    )
    client = Client()
    response = _log_in(client, "root")
    assert response["Location"].startswith("/staff/login/code/")
    assert "_auth_user_id" not in client.session
    assert client.get("/staff/").status_code == 302
    code = _code(device.secret)
    wrong = "000000" if code != "000000" else "111111"
    assert client.post("/staff/login/code/", {"code": wrong}).status_code == 400
    assert (
        client.post("/staff/login/code/", {"code": code, "next": "/admin/"})["Location"]
        == "/admin/"
    )
    assert client.get("/admin/").status_code == 200
    replay = Client()
    _log_in(replay, "root")
    assert replay.post("/staff/login/code/", {"code": code}).status_code == 400


def test_a_liaison_without_a_device_logs_in_with_the_password():
    get_user_model().objects.create_user("clerk", password=PASSWORD)
    client = Client()
    assert _log_in(client, "clerk")["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_staff_change_their_password_under_the_rules():
    from liaison.base.audit import AuditAction, AuditRecord

    user = get_user_model().objects.create_user("clerk", password=PASSWORD)
    client = Client()
    client.force_login(user)
    weak = {
        "old_password": PASSWORD,
        "new_password1": "liaison2026",
        "new_password2": "liaison2026",
    }
    assert client.post("/staff/password/", weak).status_code == 200
    strong = {
        "old_password": PASSWORD,
        "new_password1": "Xing-Sha#88",
        "new_password2": "Xing-Sha#88",
    }
    assert client.post("/staff/password/", strong).status_code == 302
    user.refresh_from_db()
    assert user.check_password("Xing-Sha#88")
    assert AuditRecord.objects.filter(action=AuditAction.PASSWORD, username="clerk").exists()
