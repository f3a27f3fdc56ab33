"""API tokens: issued by the token endpoint under the login's lockout and second factor,
stored hashed, good for API_TOKEN_DAYS, revocable by their holder and in the admin."""

import datetime as dt
import importlib
import time
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from liaison.base import api_tokens, totp
from liaison.base.api_tokens import ApiToken
from liaison.base.audit import AuditAction, AuditRecord
from liaison.base.totp import TwoFactorDevice
from tests.case_world import case_at, make_world
from tests.factories import committee_user
from tests.public_helpers import fresh_cache  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

URL = "/api/v1/auth/token/"
PASSWORD = "Liaison#2026x"


def _with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


def _ask(username, password=PASSWORD, address="10.2.0.1", **extra):
    return APIClient(REMOTE_ADDR=address).post(
        URL, {"username": username, "password": password, **extra}, format="json"
    )


def _bearer(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_liaison_gets_a_token_that_works_and_is_stored_hashed():
    world = make_world()
    case = case_at(world, "handling")
    liaison = _with_password(world.users["liaison"])
    response = _ask(liaison.username, name="desk script")
    assert response.status_code == 201, response.content
    assert "no-store" in response["Cache-Control"]
    key = response.json()["token"]
    token = ApiToken.objects.get(user=liaison)
    assert token.name == "desk script"
    assert token.digest == api_tokens.digest(key) and key not in (token.digest, token.prefix)
    expires = dt.datetime.fromisoformat(response.json()["expires"])
    assert expires - timezone.now() > dt.timedelta(days=29)
    assert _bearer(key).get(f"/api/v1/cases/{case.pk}/").status_code == 200
    assert AuditRecord.objects.filter(action=AuditAction.TOKEN, detail="issued").exists()


def test_a_token_stops_working_when_it_expires(settings):
    settings.API_TOKEN_DAYS = 2
    world = make_world()
    _token, key = api_tokens.issue(world.users["liaison"])
    client = _bearer(key)
    assert client.get("/api/v1/cases/").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=2, minutes=1)):
        response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert "WWW-Authenticate" in response


def test_a_token_lives_no_longer_than_the_password_that_issued_it(settings):
    from liaison.base.passwords import PasswordAge

    settings.API_TOKEN_DAYS, settings.PASSWORD_MAX_AGE_DAYS = 30, 90
    world = make_world()
    liaison = _with_password(world.users["liaison"])
    changed = timezone.now() - dt.timedelta(days=80)
    PasswordAge.objects.filter(user=liaison).update(changed_at=changed)
    response = _ask(liaison.username)
    assert response.status_code == 201, response.content
    token = ApiToken.objects.get(user=liaison)
    assert token.expires_at == changed + dt.timedelta(days=90)
    with time_machine.travel(token.expires_at + dt.timedelta(minutes=1)):
        assert _bearer(response.json()["token"]).get("/api/v1/cases/").status_code == 401
        refused = _ask(liaison.username, address="10.2.0.2")
    # An expired password issues no token: it is changed on the staff site first.
    assert refused.status_code == 403 and "/staff/password/" in refused.json()["detail"]
    assert ApiToken.objects.filter(user=liaison).count() == 1


def test_the_holder_revokes_the_token_and_it_is_refused_from_then_on():
    world = make_world()
    _token, key = api_tokens.issue(world.users["liaison"])
    _other, other_key = api_tokens.issue(world.users["liaison"])
    client = _bearer(key)
    assert client.delete(URL).status_code == 204
    assert client.get("/api/v1/cases/").status_code == 401
    assert client.delete(URL).status_code == 401
    # Only the token sent is revoked.
    assert _bearer(other_key).get("/api/v1/cases/").status_code == 200
    # The endpoint takes tokens only: a session has none to revoke.
    session = APIClient()
    session.force_login(world.users["liaison"])
    assert session.delete(URL).status_code == 401


def test_wrong_passwords_lock_the_endpoint_as_they_lock_the_login():
    world = make_world()
    liaison = _with_password(world.users["liaison"])
    for _ in range(5):
        assert _ask(liaison.username, "wrong-password").status_code == 400
    locked = _ask(liaison.username, address="10.2.0.9")
    assert locked.status_code == 403
    assert "30 分钟" in locked.json()["detail"]
    assert not ApiToken.objects.exists()


def test_administrators_and_committee_staff_need_their_second_factor():
    member = _with_password(committee_user("430121000000"))
    # Not enrolled yet: the password alone would go round the second factor.
    response = _ask(member.username)
    assert response.status_code == 403
    assert "/staff/two-factor/" in response.json()["detail"]
    device = TwoFactorDevice.objects.create(
        user=member, secret=totp.new_secret(), confirmed_at=timezone.now()
    )
    assert _ask(member.username).status_code == 400
    code = totp.code_at(device.secret, totp.current_step(time.time()))
    wrong = "000000" if code != "000000" else "111111"
    assert _ask(member.username, code=wrong).status_code == 400
    assert not ApiToken.objects.exists()
    assert _ask(member.username, code=code).status_code == 201
    # The code is good once.
    assert _ask(member.username, code=code).status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"username": "a\x00b", "password": PASSWORD},
        {"username": "x" * 5000, "password": PASSWORD},
        {"username": ["clerk"], "password": PASSWORD},
        {"password": PASSWORD},
        [],
    ],
)
def test_bad_requests_are_refused_and_issue_nothing(body):
    _with_password(make_world().users["liaison"])
    response = APIClient().post(URL, body, format="json")
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("header", ["Token " + "x" * 5000, "Token abc", "Token"])
def test_keys_that_are_no_token_are_refused(header):
    make_world()
    response = APIClient().get("/api/v1/cases/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_the_admin_shows_no_key_and_revokes():
    world = make_world()
    token, key = api_tokens.issue(world.users["liaison"], name="desk script")
    admin = Client()
    admin.force_login(world.users["admin"])
    page = admin.get("/admin/liaison/apitoken/").content.decode()
    assert token.prefix in page and key not in page and token.digest not in page
    response = admin.post(
        "/admin/liaison/apitoken/",
        {"action": "revoke_selected", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    assert _bearer(key).get("/api/v1/cases/").status_code == 401


def test_the_migration_hashes_drf_s_clear_tokens_and_deletes_them(settings):
    user = make_world().users["liaison"]
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer)"
        )
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s)", ["a" * 40, user.pk])
    migration = importlib.import_module("liaison.base.migrations.0018_api_tokens")
    migration.hash_the_old_tokens(apps, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
        cursor.execute("DROP TABLE authtoken_token")
    assert _bearer("a" * 40).get("/api/v1/cases/").status_code == 200
