"""Accounts to MLPS level 3: lockout, password rules, idle logout, the audit of reads and
security events (chained, tamper-evident, read by the audit administrator only), separated
administrator duties, and the headers on every answer."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.test import Client

from liaison.base.audit import AuditAction, AuditRecord, verify
from liaison.base.duties import AdminAssignment, AdminDuty
from suggestions.models import Step
from tests.case_world import case_at, make_world
from tests.public_helpers import fresh_cache  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

User = get_user_model()
PASSWORD = "Liaison#2026x"


def a_user(name="clerk", **kwargs):
    return User.objects.create_user(name, password=PASSWORD, **kwargs)


def log_in(client, username, password, path="/staff/login/"):
    return client.post(path, {"username": username, "password": password})


def test_the_admin_login_is_the_staff_login():
    response = Client().get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")


@pytest.mark.parametrize("path", ["/staff/login/"])
def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(path):
    a_user(is_staff=True)
    client = Client(REMOTE_ADDR="10.1.0.1")
    for _ in range(5):
        assert log_in(client, "clerk", "wrong-password", path).status_code == 200
    elsewhere = Client(REMOTE_ADDR="10.1.0.2")
    response = log_in(elsewhere, "clerk", PASSWORD, path)
    assert response.status_code == 200
    assert "30 分钟" in response.content.decode()
    assert "_auth_user_id" not in elsewhere.session
    assert AuditRecord.objects.filter(action=AuditAction.LOCKOUT, username="clerk").exists()


def test_five_failures_from_one_address_lock_that_address_for_every_account():
    a_user("first")
    a_user("second")
    client = Client(REMOTE_ADDR="10.1.0.9")
    for name in ("first", "second", "first", "second", "nobody"):
        log_in(client, name, "wrong-password")
    assert "_auth_user_id" not in log_in(client, "second", PASSWORD).wsgi_request.session
    other = Client(REMOTE_ADDR="10.1.0.10")
    assert log_in(other, "second", PASSWORD).status_code == 302


def test_a_success_before_the_limit_starts_the_account_count_again():
    a_user()
    client = Client(REMOTE_ADDR="10.1.0.3")
    for _ in range(4):
        log_in(client, "clerk", "wrong-password")
    assert log_in(client, "clerk", PASSWORD).status_code == 302
    client.logout()
    other = Client(REMOTE_ADDR="10.1.0.4")
    for _ in range(4):
        log_in(other, "clerk", "wrong-password")
    assert log_in(other, "clerk", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "password", ["liaison2026", "short1A", "alllowercaseletters", "clerk2026!X"]
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, User(username="clerk"))


def test_a_password_of_three_classes_passes():
    validate_password("Liaison#2026x", User(username="clerk"))


def test_a_session_ends_after_thirty_idle_minutes():
    import time_machine

    client = Client()
    # The account is made inside the travel: its password would otherwise be months old
    # on 2027-01-15, and expired.
    with time_machine.travel(1_800_000_000, tick=False) as clock:
        client.force_login(a_user())
        assert client.get("/staff/").status_code == 200
        clock.shift(29 * 60)
        assert client.get("/staff/").status_code == 200
        clock.shift(29 * 60)
        assert client.get("/staff/").status_code == 200
        clock.shift(31 * 60)
        assert client.get("/staff/").status_code == 302


def test_logins_and_failures_are_audited_with_the_address():
    a_user()
    log_in(Client(REMOTE_ADDR="10.1.0.5"), "clerk", "wrong-password")
    log_in(Client(REMOTE_ADDR="10.1.0.5"), "clerk", PASSWORD)
    rows = list(AuditRecord.objects.order_by("id").values_list("action", "username", "address"))
    assert rows == [
        (AuditAction.LOGIN_FAILED, "clerk", "10.1.0.5"),
        (AuditAction.LOGIN, "clerk", "10.1.0.5"),
    ]


def _staff(user) -> Client:
    client = Client(REMOTE_ADDR="10.2.0.1")
    client.force_login(user)
    return client


def test_reads_of_personal_data_are_audited():
    world = make_world()
    case = case_at(world, Step.REGISTERED)
    committee = world.users["committee"]
    _staff(committee).get(f"/staff/cases/{case.pk}/")
    _staff(world.users["liaison"]).get(f"/staff/visits/{case.visit_id}/sheet/")
    _staff(committee).get(f"/api/v1/visits/{case.visit_id}/")
    _staff(committee).get(f"/api/v1/cases/{case.pk}/")
    station = f"station={world.station.pk}&constituent_phone=13812345678"
    _staff(world.users["liaison"]).get(f"/staff/reception/lookup/?{station}")
    reads = AuditRecord.objects.filter(action=AuditAction.READ).order_by("id")
    assert [(r.username, r.object_type, r.address) for r in reads] == [
        (committee.username, "suggestions.case", "10.2.0.1"),
        (world.users["liaison"].username, "stations.visit", "10.2.0.1"),
        (committee.username, "stations.visit", "10.2.0.1"),
        (committee.username, "suggestions.case", "10.2.0.1"),
        (world.users["liaison"].username, "stations.visit", "10.2.0.1"),
    ]
    assert verify() == []


def test_an_out_of_scope_read_is_a_404_and_no_record():
    world = make_world()
    case = case_at(world, Step.REGISTERED)
    assert _staff(world.users["other_committee"]).get(f"/staff/cases/{case.pk}/").status_code == 404
    assert not AuditRecord.objects.filter(action=AuditAction.READ).exists()


def test_tampering_with_an_audit_row_is_detected_by_the_check_command(capsys):
    a_user()
    for _ in range(3):
        log_in(Client(), "clerk", "wrong-password")
    call_command("audit_verify")
    middle = AuditRecord.objects.order_by("id")[1]
    # As someone with database access would: past the model's append-only save.
    AuditRecord.objects.filter(pk=middle.pk).update(username="someone-else")
    with pytest.raises(CommandError):
        call_command("audit_verify")
    assert f"#{middle.pk}" in capsys.readouterr().err


def test_a_removed_row_breaks_the_chain():
    a_user()
    for _ in range(3):
        log_in(Client(), "clerk", "wrong-password")
    middle = AuditRecord.objects.order_by("id")[1]
    AuditRecord.objects.filter(pk=middle.pk)._raw_delete(AuditRecord.objects.db)
    assert verify()


def test_audit_rows_are_append_only():
    a_user()
    log_in(Client(), "clerk", "wrong-password")
    row = AuditRecord.objects.get()
    row.username = "x"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()


def _duty(name, duty, **kwargs) -> User:
    user = User.objects.create_user(name, password=PASSWORD, is_staff=True, **kwargs)
    AdminAssignment.objects.create(user=user, duty=duty)
    return user


def test_only_the_audit_administrator_reads_and_exports_the_audit():
    auditor = _duty("auditor", AdminDuty.AUDIT)
    system = _duty("sysadmin", AdminDuty.SYSTEM, is_superuser=True)
    a_user()
    log_in(Client(), "clerk", "wrong-password")
    assert _staff(auditor).get("/admin/liaison/auditrecord/").status_code == 200
    assert _staff(system).get("/admin/liaison/auditrecord/").status_code == 403
    row = AuditRecord.objects.get(username="clerk")
    assert _staff(system).get(f"/admin/liaison/auditrecord/{row.pk}/delete/").status_code == 403
    assert _staff(auditor).get(f"/admin/liaison/auditrecord/{row.pk}/delete/").status_code == 403
    export = _staff(auditor).post(
        "/admin/liaison/auditrecord/",
        {"action": "export_csv", "_selected_action": [row.pk]},
    )
    assert export.status_code == 200
    assert "clerk" in export.content.decode()
    assert AuditRecord.objects.filter(action=AuditAction.EXPORT, username="auditor").exists()
    assert AuditRecord.objects.filter(pk=row.pk).exists()


def test_no_account_holds_two_administrator_duties():
    user = _duty("admin2", AdminDuty.SECURITY)
    with pytest.raises(IntegrityError), transaction.atomic():
        AdminAssignment.objects.create(user=user, duty=AdminDuty.AUDIT)


def test_a_role_change_in_the_admin_is_audited():
    security = _duty("security", AdminDuty.SECURITY, is_superuser=True)
    target = a_user()
    response = _staff(security).post(
        "/admin/liaison/adminassignment/add/", {"user": target.pk, "duty": AdminDuty.AUDIT}
    )
    assert response.status_code == 302
    assert AuditRecord.objects.filter(
        action=AuditAction.ROLE_CHANGE, username="security", object_type="liaison.adminassignment"
    ).exists()


def test_headers_on_pages_and_the_api():
    world = make_world()
    case = case_at(world, Step.REGISTERED)
    public = Client().get("/")
    assert "unsafe-inline" not in public["Content-Security-Policy"]
    assert "script-src 'self'" in public["Content-Security-Policy"]
    assert "camera=()" in public["Permissions-Policy"]
    staff = _staff(world.users["liaison"])
    for path in (f"/staff/visits/{case.visit_id}/sheet/", "/staff/visits/", "/api/v1/visits/"):
        assert "no-store" in staff.get(path)["Cache-Control"], path
    assert "no-store" in Client().get("/api/v1/cases/")["Cache-Control"]
