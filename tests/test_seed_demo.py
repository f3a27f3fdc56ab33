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
    header = next(i for i, line in enumerate(lines) if line.split() == ["login", "roles", "name"])
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
