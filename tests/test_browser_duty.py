"""The duty record in real Chromium: a representative records a fixed contact and an
activity; once the committee confirms the activity, the quotas turn green on the
representative's page and in the committee's quota table; the 述职 draft downloads as
Word and holds the counts."""

import io

import pytest
from django.utils import timezone
from docx import Document

from liaison.base.models import JurisdictionSettings
from tests.duty_world import county_committee, rep_with_login
from tests.factories import region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_representative_records_and_sees_the_quota_turn_green(page, login, screenshot):
    today = timezone.localdate()
    JurisdictionSettings.objects.create(
        region=region("430121000000"),
        fixed_contacts_county=1,
        contact_times_county=1,
        people_reached_per_month=30,
        duty_days_county=0,
        duty_reports_per_year=0,
    )
    region("430121001000", "星沙街道")
    rep = rep_with_login(name="李履职")
    committee = county_committee()

    login(page, rep.user)
    page.goto("/staff/representative/")
    page.get_by_role("link", name="我的履职档案和指标").click()
    assert page.locator('[data-quota="fixed_contacts"] .quota-green').count() == 0

    page.goto("/staff/duty/contacts/")
    page.fill("#id_name", "王固定")
    page.fill("#id_phone", "13900001111")
    page.select_option("#id_region", "430121001000")
    page.locator(".contact-form button[type=submit]").click()
    page.get_by_role("link", name="王固定").click()
    page.fill("#id_made-date", today.isoformat())
    page.locator(".made-form button[type=submit]").click()
    page.get_by_text("联系已登记").wait_for()

    page.goto("/staff/duty/activities/new/")
    page.select_option("#id_kind", "household")
    page.fill("#id_title", "走访星沙小区")
    page.fill("#id_date", today.isoformat())
    page.fill("#id_place", "星沙小区")
    page.fill("#id_people_reached", "30")
    page.select_option("#id_organiser", "committee")
    page.select_option("#id_region_id", "430121000000")
    page.locator(".activity-form button[type=submit]").click()
    page.wait_for_url("**/staff/duty/activities/*/")
    assert page.locator(".step").inner_text() == "待确认"
    activity_url = page.url

    page.context.clear_cookies()
    login(page, committee)
    page.goto(activity_url)
    page.locator("#move-confirm button").click()
    page.wait_for_url(activity_url)
    assert page.locator(".step").inner_text() == "已确认"
    page.goto("/staff/duty/quotas/")
    row = page.locator("tr", has_text="李履职")
    assert row.locator(".quota-green").count() == 2
    assert row.locator(".quota-red, .quota-amber").count() == 0
    screenshot(page, "duty-quota-table")

    page.context.clear_cookies()
    login(page, rep.user)
    page.goto("/staff/duty/")
    assert page.locator('[data-quota="fixed_contacts"] .quota-green').count() == 1
    assert page.locator('[data-quota="people_month"] .quota-green').count() == 1
    screenshot(page, "duty-record")
    page.get_by_role("button", name=f"生成我的{today.year}年述职报告草稿").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载（Word）").click()
    text = "\n".join(
        p.text for p in Document(io.BytesIO(download.value.path().read_bytes())).paragraphs
    )
    assert "固定联系群众1人，联系1次" in text
    assert "走访星沙小区" in text
    assert "共联系群众31人次" in text
