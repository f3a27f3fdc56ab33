"""The demo county: realistic in shape, and seeding twice changes nothing."""

import pytest
from django.apps import apps
from django.core.management import call_command

from liaison.base.models import Region
from liaison.base.scopes import scope_of
from representatives.models import CongressLevel, Representative
from stations.models import Station
from stations.scopes import stations_visible_to

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_seeding_twice_gives_the_same_row_counts(monkeypatch, capsys):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-2026")
    call_command("seed_demo")
    first = row_counts()
    call_command("seed_demo")
    assert row_counts() == first
    out = capsys.readouterr().out
    assert "already present" in out
    for login in ("admin", "committee", "township", "liaison", "unit", "representative"):
        assert login in out


def test_demo_county_has_the_documents_shape(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-2026")
    call_command("seed_demo")
    county = Region.objects.get(code="430121000000")
    assert county.name == "长沙县"
    assert county.children.count() == 18
    assert Station.objects.in_region(county).count() == 125
    by_level = {
        level: Representative.objects.filter(level=level).count() for level in CongressLevel
    }
    assert sum(by_level.values()) == 1300
    assert all(by_level.values())
    assert (
        by_level[CongressLevel.TOWNSHIP]
        > by_level[CongressLevel.COUNTY]
        > by_level[CongressLevel.CITY]
    )
    # Every representative sits in a station; national deputies included (五级代表同进站).
    assert not Representative.objects.filter(station_memberships__isnull=True).exists()


def test_each_printed_login_holds_its_role(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-2026")
    call_command("seed_demo")
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    assert users["admin"].check_password("demo-pass-2026")
    assert scope_of(users["committee"]).roles == {"committee"}
    assert scope_of(users["liaison"]).roles == {"liaison"}
    assert scope_of(users["unit"]).roles == {"unit"}
    assert scope_of(users["representative"]).roles == {"representative"}
    assert stations_visible_to(users["liaison"]).count() == 1
    assert stations_visible_to(users["committee"]).count() == 125


def test_seeding_prints_the_logins_under_a_header_and_not_the_notices(monkeypatch, capsys):
    """``make run`` printed some 330 lines of console SMS and email before the logins, and
    the logins had no header (a newcomer read the role as the password)."""
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-2026")
    call_command("seed_demo")
    captured = capsys.readouterr()
    assert "SMS to" not in captured.out + captured.err
    assert "Subject:" not in captured.out
    lines = captured.out.splitlines()
    header = next(
        i for i, line in enumerate(lines) if line.split() == ["login", "roles", "2FA", "name"]
    )
    assert lines[header + 1].split()[0] == "admin"
    assert len(lines) < 20


def test_the_demo_visits_are_logged_in_office_hours(monkeypatch):
    """The demo's visits were logged at 1–4 a.m."""
    from django.utils import timezone

    from stations.models import Visit

    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-2026")
    call_command("seed_demo")
    hours = {
        timezone.localtime(at).hour for at in Visit.objects.values_list("visited_at", flat=True)
    }
    assert hours and min(hours) >= 8 and max(hours) <= 17, sorted(hours)


def test_demo_logins_that_need_a_second_factor_sign_in_with_the_printed_secret(monkeypatch, capsys):
    """Administrators and committee staff must use two-factor login: the demo enrols them
    with a published secret (printed with the logins), and ``totp_code`` prints a code that
    has not been used, so that an outside tester or a script can sign in."""
    import io

    from django.contrib.auth import get_user_model
    from django.core.management.base import CommandError
    from django.test import Client

    from liaison.base.totp import TwoFactorDevice
    from liaison.wiring.demo.users import DEMO_TOTP_SECRET

    monkeypatch.setenv("DEMO_PASSWORD", "Demo#pass-2026")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert DEMO_TOTP_SECRET in out and "totp_code" in out
    marked = {line.split()[0] for line in out.splitlines() if line.split()[2:3] == ["yes"]}
    assert marked == {"admin", "committee", "township", "city", "security", "auditor"}
    assert not TwoFactorDevice.objects.filter(user__username__in=["liaison", "unit"]).exists()

    def code_for(username):
        stdout = io.StringIO()
        call_command("totp_code", username, stdout=stdout)
        return stdout.getvalue().strip()

    for username in ("committee", "admin"):
        client = Client()
        response = client.post(
            "/staff/login/", {"username": username, "password": "Demo#pass-2026"}
        )
        assert response["Location"].startswith("/staff/login/code/")
        response = client.post("/staff/login/code/", {"code": code_for(username)})
        assert response.status_code == 302, response.content.decode()
        assert client.get("/staff/").status_code == 200
    # A second sign-in in the same half-minute gets a code not yet spent.
    again = Client()
    again.post("/staff/login/", {"username": "committee", "password": "Demo#pass-2026"})
    assert again.post("/staff/login/code/", {"code": code_for("committee")}).status_code == 302

    # A device of one's own (a real secret) is never printed; nor a login without one.
    user = get_user_model().objects.get(username="liaison")
    TwoFactorDevice.objects.create(
        user=user, secret="JBSWY3DPEHPK3PXP", confirmed_at=user.date_joined
    )
    for username in ("liaison", "unit"):
        with pytest.raises(CommandError):
            call_command("totp_code", username)
    # Seeding again keeps the devices (and their spent steps).
    call_command("seed_demo")
    assert TwoFactorDevice.objects.filter(secret=DEMO_TOTP_SECRET).count() == 6


def test_make_run_seeds_the_embedded_default_without_a_warning(tmp_path):
    """``make run`` (SQLite, no Redis: the in-memory broker, tasks in-process) printed a
    kombu warning ("No hostname was supplied") and a log line per task before the logins.
    Run as ``make run`` runs it, in its own process: nothing on stderr but nothing wrong."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}", DEMO_PASSWORD="demo-2026")
    manage = [sys.executable, str(root / "manage.py")]
    for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo"]):
        done = subprocess.run(
            manage + command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert "WARNING" not in done.stderr, done.stderr[-2000:]
        assert "kombu" not in done.stderr and "celery.app.trace" not in done.stderr
    assert "login" in done.stdout and "admin" in done.stdout
