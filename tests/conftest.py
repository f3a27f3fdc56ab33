import os

import pytest
from django.conf import settings
from django.db import connection


def require(condition: bool, reason: str) -> None:
    """Skip with the reason on a developer's machine; fail under CI, which must run everything."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI runs every test)")
    pytest.skip(reason)


@pytest.fixture
def postgres(db):
    require(
        connection.vendor == "postgresql",
        "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison",
    )


@pytest.fixture
def redis_url():
    require(bool(settings.REDIS_URL), "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0")
    return settings.REDIS_URL


@pytest.fixture
def sms_gateway(settings):
    """A fake SMS gateway on 127.0.0.1 that the outbox's HTTP backend posts to."""
    from tests.fakes import FakeSmsGateway

    gateway = FakeSmsGateway().start()
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_GATEWAY_TIMEOUT = 1.0
    yield gateway
    gateway.stop()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s a user; tests create dozens of users and check no password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request through LocaleMiddleware leaves
    its language active in the thread, which would leak into the next test."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
