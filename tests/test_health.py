"""/healthz reports the database and the broker; 503 when the database is unreachable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from liaison.redis_target import RedisTarget

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_is_ok_with_the_database_up(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == ("ok" if settings.REDIS_URL else "embedded")


def test_healthz_reports_redis_when_configured(client, settings, redis_url):
    assert client.get("/healthz").json()["broker"] == "ok"
    settings.REDIS = RedisTarget(url="redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "down"


def test_healthz_is_503_when_the_database_is_unreachable():
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, r.json()['database'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "liaison.settings",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nowhere",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["503", "down"], result.stderr[-2000:]


def test_production_settings_pass_check_deploy():
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 20 + "production-secret-for-the-deploy-check-0123456789",
        "ALLOWED_HOSTS": "liaison.example.org",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or "sqlite:///:memory:",
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_ENV": "production", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
