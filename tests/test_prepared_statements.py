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


def _generic_plan(name: str, values: list[int]) -> str:
    """The plan PostgreSQL keeps for a prepared statement whatever its values, with
    sequential scans priced out: it shows which indexes that plan can walk."""
    # EXECUTE takes no bound parameters; the values are ids, written in as numbers.
    arguments = ", ".join(str(int(value)) for value in values)
    with connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(f"EXPLAIN EXECUTE {name}({arguments})")
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET plan_cache_mode")
            cursor.execute("RESET enable_seqscan")


@frozen()
def test_the_unit_page_keeps_one_plan_that_walks_the_open_cases_index(postgres):
    """The steps of "open" are written into the unit page's statement: with them as
    parameters the plan PostgreSQL could keep cannot use the partial indexes of the open
    cases, so it planned the statement afresh on every request."""
    world = make_world()
    unit_user = world.users["lead_unit"]
    unit_id = unit_user.unit_roles.get().unit_id
    case_at(world, Step.HANDLING)
    client = Client()
    client.force_login(unit_user)
    for _ in range(connection.connection.prepare_threshold + 2):
        assert client.get("/staff/unit/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, statement, parameter_types::text[] FROM pg_prepared_statements"
            " WHERE statement LIKE %s",
            ['%"suggestions_casecounit" U1%'],
        )
        [(name, statement, types)] = cursor.fetchall()
    assert "'archived'" in statement
    # Only the unit's id is left to bind, once in each half (psycopg sends an int in the
    # narrowest type that holds it).
    assert len(types) == 2
    assert set(types) <= {"smallint", "integer", "bigint"}
    plan = _generic_plan(name, [unit_id, unit_id])
    assert "case_unit_open_deadline_idx" in plan
    assert "case_co_unit_deadline_idx" in plan
