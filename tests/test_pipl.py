"""PIPL: consent kept with the version of the notice accepted; a visit's personal data
erased ANONYMISE_AFTER_DAYS after its cases are closed; a person's request to see or
delete their data handled by the committee, with a record."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from liaison.base.audit import AuditAction, AuditRecord
from liaison.base.notifications.models import Notification
from stations.models import Visit
from stations.models.visits import ANONYMISED
from suggestions.cases import online, privacy, services
from suggestions.models import Case, DataRequest, DataRequestStatus, Step
from tests.case_world import case_at, make_world, received
from tests.public_helpers import category, fresh_cache, opinion  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

PHONE = "13812345678"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_online_opinion_keeps_the_version_of_the_notice_accepted(settings):
    settings.PRIVACY_NOTICE_VERSION = "2026-12"
    settings.ANONYMISE_AFTER_DAYS = 3 * 365
    world = make_world()
    page = Client().get("/cases/submit/").content.decode()
    assert "2026-12" in page and "3 年后删除" in page
    response = Client().post("/cases/submit/", opinion(world.station))
    assert response.status_code == 200, response.content.decode()[:400]
    visit = Visit.objects.get(channel="online")
    assert visit.consent_notice_version == "2026-12"
    assert abs(visit.consented_at - timezone.now()) < dt.timedelta(minutes=1)
    # The service records no opinion without the notice accepted.
    with pytest.raises(Exception) as error:
        online.case_submit_online(
            station=world.station,
            category=category(),
            name="王小明",
            phone=PHONE,
            title="路灯",
            description="村口路灯坏了。",
            notice_version="",
        )
    assert "consent" in error.value.message_dict


def _closed_days_ago(case: Case, days: int) -> None:
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - dt.timedelta(days=days))


def test_the_sweep_erases_a_visit_s_personal_data_long_after_its_cases_closed(settings):
    settings.ANONYMISE_AFTER_DAYS = 1000
    world = make_world()
    old = case_at(world, Step.ARCHIVED)
    _closed_days_ago(old, 1001)
    recent = case_at(world, Step.ARCHIVED)
    _closed_days_ago(recent, 999)
    still_open = case_at(world, Step.HANDLING)
    Visit.objects.filter(pk=still_open.visit_id).update(
        visited_at=timezone.now() - dt.timedelta(days=2000)
    )
    Notification.objects.create(
        kind="case_submitted",
        channel="sms",
        subject_type="suggestions.case",
        subject_id=old.pk,
        recipient_key=f"case:{old.pk}",
        recipient_name="张三",
        address=PHONE,
        title="t",
        body="b",
        due_date=timezone.localdate(),
        dedupe_key="pipl-test",
    )
    assert privacy.visits_anonymise() == 1
    visit = Visit.objects.get(pk=old.visit_id)
    assert visit.constituent_name == ANONYMISED and visit.constituent_phone == ""
    assert visit.anonymised_at is not None
    assert Notification.objects.get(dedupe_key="pipl-test").address == ""
    for kept in (recent, still_open):
        assert Visit.objects.get(pk=kept.visit_id).constituent_phone == PHONE
    # The case itself stays for the archive and the figures.
    assert Case.objects.get(pk=old.pk).title
    assert privacy.visits_anonymise() == 0
    settings.ANONYMISE_AFTER_DAYS = 0
    _closed_days_ago(recent, 5000)
    assert privacy.visits_anonymise() == 0


@pytest.mark.postgres
def test_erasing_finds_the_constituent_s_sms_by_their_index_not_by_a_scan():
    world = make_world()
    case = case_at(world, Step.ARCHIVED)
    rows = [
        Notification(
            kind=kind, channel="sms", subject_type="suggestions.case", subject_id=case.pk,
            recipient_key=key, address=PHONE, title="t", body="b",
            due_date=timezone.localdate(), dedupe_key=f"{kind}:{key}",
        )
        for kind, key in [
            ("case_to_constituent", f"case:{case.pk}"),
            ("case_submitted", f"case:{case.pk}"),
            ("case_escalated", "unit-staff:1"),  # a notice to staff about the same case
        ]
    ]  # fmt: skip
    Notification.objects.bulk_create(rows)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = privacy.constituent_notices([case.pk]).explain()
    assert "notification_constituent_idx" in plan, plan
    privacy.anonymise([case.visit_id])
    addresses = dict(Notification.objects.values_list("kind", "address"))
    assert addresses == {"case_to_constituent": "", "case_submitted": "", "case_escalated": PHONE}


def test_the_committee_records_and_handles_a_request_to_delete():
    world = make_world()
    case = case_at(world, Step.HANDLING)
    committee = _client(world.users["committee"])
    response = committee.post(
        "/staff/data-requests/",
        {"region_code": "430121000000", "kind": "delete", "name": "张三", "phone": PHONE},
    )
    assert response.status_code == 302, response.content.decode()[:600]
    data_request = DataRequest.objects.get()
    page = committee.get(f"/staff/data-requests/{data_request.pk}/")
    assert page.status_code == 200
    assert case.tracking_code in page.content.decode()
    assert AuditRecord.objects.filter(action=AuditAction.READ, detail="data request").exists()
    url = f"/staff/data-requests/{data_request.pk}/"
    # An open case keeps its visit's data; nothing is deleted.
    refused = committee.post(url, {"action": "delete", "outcome": "已按本人要求删除"})
    assert refused.status_code == 400
    assert Visit.objects.get(pk=case.visit_id).constituent_phone == PHONE
    services.case_withdraw(case_id=case.pk, actor=world.users["committee"], reason="本人撤回")
    title = case.title
    assert committee.post(url, {"action": "delete", "outcome": ""}).status_code == 400
    done = committee.post(url, {"action": "delete", "outcome": "已按本人要求删除"})
    assert done.status_code == 302
    data_request.refresh_from_db()
    assert data_request.status == DataRequestStatus.DELETED
    assert data_request.visits_found == 1
    assert data_request.handled_by == world.users["committee"]
    assert Visit.objects.get(pk=case.visit_id).constituent_name == ANONYMISED
    # Their own words go too; the staff's title and the step stay for the figures.
    case.refresh_from_db()
    assert case.description == ANONYMISED
    assert (case.title, case.step) == (title, Step.WITHDRAWN)
    # Handled once.
    assert committee.post(url, {"action": "refuse", "outcome": "再次"}).status_code == 400


def test_requests_stay_within_the_committee_s_region_and_role():
    world = make_world()
    received(world)
    data_request = privacy.data_request_receive(
        actor=world.users["committee"],
        region_code="430121000000",
        kind="access",
        name="张三",
        phone="138 1234 5678",
        note="",
    )
    assert data_request.phone == PHONE
    url = f"/staff/data-requests/{data_request.pk}/"
    assert _client(world.users["other_committee"]).get(url).status_code == 404
    assert _client(world.users["liaison"]).get("/staff/data-requests/").status_code == 404
    # A committee records requests only in its own region.
    outside = _client(world.users["other_committee"]).post(
        "/staff/data-requests/",
        {"region_code": "430121000000", "kind": "access", "name": "张三", "phone": PHONE},
    )
    assert outside.status_code == 400
    assert DataRequest.objects.count() == 1
    answered = _client(world.users["committee"]).post(
        url, {"action": "answer", "outcome": "已当面出示来访记录"}
    )
    assert answered.status_code == 302
    data_request.refresh_from_db()
    assert data_request.status == DataRequestStatus.ANSWERED
    # An access request never deletes.
    assert Visit.objects.filter(constituent_phone=PHONE).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"region_code": "430121000000", "kind": "delete", "name": "张\x00三", "phone": PHONE},
        {"region_code": "430121000000", "kind": "erase", "name": "张三", "phone": PHONE},
        {"region_code": "430121000000", "kind": "delete", "name": "张三", "phone": "12"},
        {"region_code": "x", "kind": "delete", "name": "张三", "phone": PHONE},
    ],
)
def test_bad_requests_are_refused_and_record_nothing(data):
    world = make_world()
    response = _client(world.users["committee"]).post("/staff/data-requests/", data)
    assert response.status_code == 400
    assert not DataRequest.objects.exists()
