"""Official documents: the 转办函 issued by the body that referred the case, with its
document number (文号) from that body's sequence of the year, seal space and Chinese
dates; print pages that work for visits logged online."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from liaison.base.documents.models import DocumentSequence, IssuedDocument
from liaison.base.models import Region
from stations.models import VisitChannel
from suggestions.cases import services
from suggestions.cases.online import case_submit_online
from suggestions.models import Step
from tests.case_world import COUNTY, case_at, make_world, received
from tests.clock import frozen

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@frozen(dt.date(2026, 11, 30))
def test_the_referral_letter_has_the_committees_number_seal_and_chinese_dates():
    world = make_world()
    DocumentSequence.objects.create(
        region=Region.objects.get(code=COUNTY),
        issuer="长沙县人大常委会",
        prefix="长人联函",
        year=2026,
        last_number=11,
    )
    case = case_at(world, Step.HANDLING)
    client = client_for(world.users["committee"])
    page = client.get(f"/staff/cases/{case.pk}/letter/").content.decode()
    again = client.get(f"/staff/cases/{case.pk}/letter/").content.decode()
    assert "长人联函〔2026〕12号" in page and "长人联函〔2026〕12号" in again
    assert IssuedDocument.objects.count() == 1
    assert "长沙县人大常委会" in page
    assert "2026年11月30日" in page and "2026-11-30" not in page
    assert 'class="seal-space"' in page
    # Signed by the committee that referred it, not by the station.
    signature = page.split('class="seal-block"')[1].split("</div>")[0]
    assert world.station.name not in signature


@frozen(dt.date(2026, 11, 30))
def test_the_next_letter_gets_the_next_number_and_a_township_referral_its_own_body():
    world = make_world()
    DocumentSequence.objects.create(
        region=Region.objects.get(code=COUNTY), issuer="县", prefix="长人联函", year=2026
    )
    first, second = case_at(world, Step.HANDLING), case_at(world, Step.HANDLING)
    client = client_for(world.users["committee"])
    assert "长人联函〔2026〕1号" in client.get(f"/staff/cases/{first.pk}/letter/").content.decode()
    assert "长人联函〔2026〕2号" in client.get(f"/staff/cases/{second.pk}/letter/").content.decode()


@frozen(dt.date(2026, 11, 30))
def test_without_a_sequence_the_number_is_left_to_be_written_and_the_county_signs():
    world = make_world()
    case = case_at(world, Step.HANDLING)
    page = client_for(world.users["committee"]).get(f"/staff/cases/{case.pk}/letter/")
    assert page.status_code == 200
    assert "〔&emsp;&emsp;〕" in page.content.decode()
    assert Region.objects.get(code=COUNTY).name in page.content.decode().split("seal-block")[1]
    assert not IssuedDocument.objects.exists()


def test_the_visit_sheet_of_an_opinion_submitted_online_prints():
    """/staff/visits/<id>/sheet/ was a 500 for every visit submitted online (no recorder)."""
    world = make_world()
    case = case_submit_online(
        station=world.station,
        category=None,
        name="李四",
        phone="139-0731-5566",
        title="路面坑洼",
        description="门口路面坑洼积水。",
        notice_version="2026-12",
    )
    response = client_for(world.users["liaison"]).get(f"/staff/visits/{case.visit_id}/sheet/")
    assert response.status_code == 200
    assert "13907315566" in response.content.decode()


def test_the_visit_sheet_lists_the_issues_in_the_order_they_were_raised():
    world = make_world()
    first = received(world, title="第一个问题")
    visit = services.visit_record(
        actor=world.users["liaison"],
        station=world.station,
        channel=VisitChannel.HOUSEHOLD,
        visited_at=timezone.now(),
        constituent_name="王五",
        constituent_phone="13911112222",
        cases=[
            {"title": "问题甲", "description": "甲"},
            {"title": "问题乙", "description": "乙"},
            {"title": "问题丙", "description": "丙"},
        ],
    )
    page = client_for(world.users["liaison"]).get(f"/staff/visits/{visit.pk}/sheet/")
    text = page.content.decode()
    assert text.index("问题甲") < text.index("问题乙") < text.index("问题丙")
    assert first.title not in text


@frozen(dt.date(2026, 11, 30))
def test_a_case_reported_to_the_township_prints_its_report_and_list():
    """报告+清单: issued by the township's body, with the report written at the move, the
    list of matters, a number from the township's sequence, seal space and Chinese dates."""
    world = make_world()
    DocumentSequence.objects.create(
        region=Region.objects.get(code="430121001000"),
        issuer="星沙街道人大工委",
        prefix="星人工",
        year=2026,
    )
    # A major township matter: the one authority that a report to the township fits.
    case = case_at(world, Step.REGISTERED, authority="township_major")
    services.case_report_to_township(
        case_id=case.pk,
        actor=world.users["township_committee"],
        unit=world.unit,
        note="我站近期收到群众反映路灯问题，现将有关情况报告如下。",
    )
    client = client_for(world.users["township_committee"])
    detail = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert f"/staff/cases/{case.pk}/report/" in detail
    page = client.get(f"/staff/cases/{case.pk}/report/").content.decode()
    assert "星人工〔2026〕1号" in page and "星沙街道人大工委" in page
    assert "现将有关情况报告如下" in page and case.title in page
    assert "2026年11月30日" in page and 'class="seal-space"' in page
    assert "张三" not in page and "13812345678" not in page
    letter_only = case_at(world, Step.HANDLING)
    assert client.get(f"/staff/cases/{letter_only.pk}/report/").status_code == 404
