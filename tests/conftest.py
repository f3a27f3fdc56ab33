import copy
import datetime as dt
import os

import factory.random
import pytest
import time_machine
from django.conf import settings
from django.db import connection

from tests.clock import moment

# THE CLOCK
# `--today=YYYY-MM-DD` runs the session on that day (Asia/Shanghai, in working hours, the
# clock ticking), so that CI can check the product and the tests on awkward days: a Sunday,
# the last day of a year, a statutory holiday. Tests that freeze their own time still do
# (time-machine nests). Left out of such a run: browser and Celery worker tests, because
# Chromium and the worker are other processes, which keep the real date; and tests frozen
# on a day of their own (tests/clock.py), which would only repeat the real-date run.

NOT_SHIFTED = ("browser", "worker", "time_machine")


def pytest_addoption(parser):
    parser.addoption(
        "--today",
        metavar="YYYY-MM-DD",
        type=dt.date.fromisoformat,
        help="run the session as if today were this date (leaves out browser, worker and "
        "frozen tests)",
    )


def pytest_configure(config):
    today = config.getoption("--today")
    if today is None:
        return
    travel = time_machine.travel(moment(today, dt.time(9, 30)), tick=True)
    travel.start()
    config.add_cleanup(travel.stop)


def pytest_report_header(config):
    today = config.getoption("--today")
    if today is None:
        return None
    return f"today is {today:%Y-%m-%d %A}; left out: tests marked {', '.join(NOT_SHIFTED)}"


def pytest_collection_modifyitems(config, items):
    if config.getoption("--today") is None:
        return
    kept, left_out = [], []
    for item in items:
        shifted = not any(item.get_closest_marker(name) for name in NOT_SHIFTED)
        (kept if shifted else left_out).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The read replica of production (DATABASE_REPLICA_URL) as Django's test mirror of
    the default database, so that the router's tests run on one database
    (tests/test_replica.py). The router uses it only where a test turns it on
    (``settings.DATABASE_REPLICA_ALIAS = "replica"``): a live server's threads may not
    open connections a test did not ask for."""
    if "replica" not in settings.DATABASES:
        replica = copy.deepcopy(settings.DATABASES["default"])
        replica["TEST"] = {**replica.get("TEST", {}), "MIRROR": "default"}
        settings.DATABASES["replica"] = replica


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
def same_fake_data(request):
    """Faker's names are the same on every run of a test: a generated name that happens to
    match what a test searches for (赵…) fails that test always or never, not now and then."""
    factory.random.reseed_random(request.node.nodeid)


@pytest.fixture(autouse=True)
def private_files_in_tmp(settings, tmp_path_factory):
    """Attachments and other private files a test writes stay out of the working tree."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path_factory.mktemp("private")},
        },
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s a user; tests create dozens of users and check no password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_public_pages():
    """Cached public pages are keyed by versions that live in the cache, which outlives
    each test's rolled-back rows: every test starts with new versions (nothing cached)."""
    from liaison.base import public_cache

    public_cache.bump_all()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request through LocaleMiddleware leaves
    its language active in the thread, which would leak into the next test."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


# BROWSER
# Real Chromium (Debian's package) driven by Playwright against pytest-django's live_server.
# `page` is a fresh context per test; `login(page, user)` puts a real session cookie in it;
# `screenshot(page, name)` writes test-artifacts/screenshots/<name>.png for a person to look at.

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = settings.BASE_DIR / "test-artifacts"


@pytest.fixture(scope="session")
def browser():
    require(os.path.exists(CHROMIUM), f"needs Chromium at {CHROMIUM}: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        require(False, "needs the playwright package (pip install -e '.[dev]')")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser actions are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    # Every page a browser test opens is held to the Content-Security-Policy: Chromium
    # reports each blocked inline script, style or foreign source on the console.
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    assert violations == [], violations


@pytest.fixture
def login(live_server):
    """Log ``user`` in for ``page``: a real session, set as the browser's cookie."""
    from django.test import Client

    def log_in(page, user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )
        return page

    return log_in


@pytest.fixture
def screenshot():
    def take(page, name: str, *, full_page: bool = True):
        folder = ARTIFACTS / "screenshots"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture(autouse=True)
def no_list_taken_as_capped():
    """A list found over the count limit is taken to stay over it for a minute in the
    process (liaison/base/paging.py): not into the next test, whose rows are others."""
    from liaison.base import paging

    paging._capped_until.clear()
