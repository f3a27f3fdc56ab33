"""PostgreSQL binds the parameters and keeps the plans of the statements a connection
runs again and again (liaison/settings.py, DATABASE_PREPARE_THRESHOLD): a staff page's
few statements are then neither parsed nor planned on each request."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client

from suggestions.models import Step
from tests.case_world import case_at, make_world
from tests.clock import frozen

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/liaison"


def _options(monkeypatch, **variables: str) -> dict:
    monkeypatch.setenv("DATABASE_URL", POSTGRES_URL)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    found = runpy.run_path(str(ROOT / "liaison" / "settings.py"))
    return found["DATABASES"]["default"]["OPTIONS"]


@pytest.mark.parametrize(
    ("value", "threshold"), [(None, 5), ("2", 2), ("0", 0), ("off", None), ("OFF", None)]
)
def test_the_threshold_comes_from_the_environment(monkeypatch, value, threshold):
    if value is None:
        monkeypatch.delenv("DATABASE_PREPARE_THRESHOLD", raising=False)
        options = _options(monkeypatch)
    else:
        options = _options(monkeypatch, DATABASE_PREPARE_THRESHOLD=value)
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == threshold


def test_a_threshold_that_is_no_number_stops_the_start(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_PREPARE_THRESHOLD must be"):
        _options(monkeypatch, DATABASE_PREPARE_THRESHOLD="sometimes")


@frozen()
def test_a_case_page_seen_again_runs_prepared_statements(postgres):
    world = make_world()
    case = case_at(world, Step.HANDLING)
    client = Client()
    client.force_login(world.users["lead_unit"])
    threshold = connection.connection.prepare_threshold
    assert threshold is not None
    for _ in range(threshold + 2):
        assert client.get(f"/staff/cases/{case.pk}/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    # The case with its joins, and the session read every staff request makes.
    assert any('FROM "suggestions_case"' in sql and "WHERE" in sql for sql in prepared)
    assert any('FROM "liaison_session"' in sql for sql in prepared)
