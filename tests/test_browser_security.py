"""Account security in real Chromium: an administrator enrols TOTP and logs in with it;
an account locks after five wrong passwords; the audit administrator sees a committee
member's read of a case and the system administrator cannot. No page breaks its own
Content-Security-Policy."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from liaison.base import totp
from liaison.base.duties import AdminAssignment, AdminDuty
from liaison.base.totp import TwoFactorDevice
from suggestions.models import Step
from tests.case_world import case_at, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Liaison#2026x"


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


def _csp_violations(page) -> list:
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def _password_login(page, username, password=PASSWORD, next_path=""):
    page.goto(f"/staff/login/{'?next=' + next_path if next_path else ''}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('登录')")


def _fresh_code(secret, used=None):
    code = totp.code_at(secret, totp.current_step())
    while code == used:  # a code is good once: wait for the next step
        time.sleep(1)
        code = totp.code_at(secret, totp.current_step())
    return code


def test_an_administrator_enrols_totp_and_logs_in_with_it(page, screenshot):
    violations = _csp_violations(page)
    get_user_model().objects.create_superuser("root", password=PASSWORD)
    _password_login(page, "root")
    assert page.url.endswith("/staff/two-factor/")
    assert page.locator(".qr svg").count() == 1
    screenshot(page, "two-factor-enrol")
    secret = page.locator(".totp-secret").inner_text().strip()
    first = _fresh_code(secret)
    page.fill("#id_code", first)
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('确认')")
    assert TwoFactorDevice.objects.get(user__username="root").confirmed_at is not None
    page.context.clear_cookies()

    _password_login(page, "root", next_path="/admin/")
    assert "/staff/login/code/" in page.url
    page.fill("#id_code", _fresh_code(secret, used=first))
    with page.expect_navigation():
        page.click("button[type=submit]:has-text('登录')")
    assert page.url.endswith("/admin/")
    assert violations == []


def test_an_account_locks_after_five_wrong_passwords(page, screenshot):
    violations = _csp_violations(page)
    get_user_model().objects.create_user("clerk", password=PASSWORD)
    for _ in range(5):
        _password_login(page, "clerk", "wrong-password")
    _password_login(page, "clerk")
    assert "/staff/login/" in page.url
    assert "30 分钟" in page.locator("main").inner_text()
    screenshot(page, "login-locked")
    assert violations == []


def test_the_audit_administrator_sees_a_committee_read_and_the_system_administrator_cannot(
    page, login
):
    violations = _csp_violations(page)
    world = make_world()
    case = case_at(world, Step.REGISTERED)
    login(page, world.users["committee"])
    page.goto(f"/staff/cases/{case.pk}/")
    assert case.tracking_code in page.content()
    page.context.clear_cookies()

    User = get_user_model()
    auditor = User.objects.create_user("auditor", password=PASSWORD, is_staff=True)
    AdminAssignment.objects.create(user=auditor, duty=AdminDuty.AUDIT)
    login(page, auditor)
    page.goto("/admin/liaison/auditrecord/?action=read")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert world.users["committee"].username in rows.first.inner_text()
    assert str(case.pk) in rows.first.inner_text()
    page.context.clear_cookies()

    system = User.objects.create_superuser("sysadmin", password=PASSWORD)
    AdminAssignment.objects.create(user=system, duty=AdminDuty.SYSTEM)
    login(page, system)
    response = page.goto("/admin/liaison/auditrecord/")
    assert response.status == 403
    page.goto("/admin/")
    assert "auditrecord" not in page.content()
    assert violations == []
