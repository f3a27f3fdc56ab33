"""A clerk's day in the work area, in real Chromium: the message centre, the header's
search, pickers by typing, a photo attached to a visit (and a 404 for anyone out of
scope), the 转办函 with its document number and Chinese date.
Screenshots go to test-artifacts/screenshots/."""

import pytest
from PIL import Image

from liaison.base.documents.models import DocumentSequence
from liaison.base.models import Region
from suggestions.cases import services
from suggestions.models import Step
from tests.browser_helpers import loaded_width
from tests.case_world import COUNTY, case_at, make_world, received

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def other_page(browser, live_server):
    """A second browser, for a second person."""
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _pick(page, select_id: str, typed: str, option: str):
    """Type into a picker and choose the option by its name."""
    page.fill(f"#{select_id}-search", typed)
    page.locator(f"#{select_id}-options [role=option]", has_text=option).click()


def test_a_unit_clerk_opens_the_assigned_case_from_the_message_centre(page, login, screenshot):
    world = make_world()
    case = received(world, title="村口路灯不亮")
    services.case_register(
        case_id=case.pk, actor=world.users["liaison"], category=world.category, authority="county"
    )
    services.case_refer_by_letter(case_id=case.pk, actor=world.users["committee"], unit=world.unit)
    login(page, world.users["lead_unit"])
    page.goto("/staff/")
    assert page.locator(".header-messages .unread-count").inner_text() == "1"
    page.click(".header-messages")
    screenshot(page, "workarea-messages")
    page.locator(".messages-table a", has_text=case.tracking_code).click()
    page.wait_for_url(f"**/staff/cases/{case.pk}/")
    assert case.tracking_code in page.locator("h1").inner_text()
    assert page.locator(".header-messages .unread-count").count() == 0


def test_a_committee_clerk_searches_and_picks_by_typing(page, login, screenshot):
    world = make_world()
    world.unit.name = "县交通运输局"
    world.unit.save()
    received(world, title="村口路灯不亮")
    wanted = received(world, title="水管破裂")
    login(page, world.users["committee"])
    page.goto("/staff/")
    # The last four digits of the constituent's phone (both cases share it: a list).
    page.fill("#header-q", "5678")
    page.press("#header-q", "Enter")
    page.wait_for_url("**/staff/search/?q=5678")
    assert page.locator(".search-cases tbody tr").count() == 2
    # A Chinese keyword: the one case, opened directly.
    page.fill("#header-q", "水管")
    page.press("#header-q", "Enter")
    page.wait_for_url(f"**/staff/cases/{wanted.pk}/")
    # Pickers: a township and a unit by typing part of their names.
    page.goto("/staff/cases/")
    _pick(page, "id_region", "星沙", "星沙街道")
    _pick(page, "id_unit", "交通", "县交通运输局")
    screenshot(page, "workarea-pickers")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/staff/cases/?*")
    assert "region=430121001000" in page.url and f"unit={world.unit.pk}" in page.url
    assert page.locator("#id_region-search").input_value() == "星沙街道"
    assert page.locator("#id_unit-search").input_value() == "县交通运输局"


def test_a_committee_clerk_refers_a_case_to_a_unit_picked_by_typing(page, login):
    world = make_world()
    world.unit.name = "县交通运输局"
    world.unit.region = Region.objects.get(code=COUNTY)
    world.unit.save()
    case = case_at(world, Step.REGISTERED)
    login(page, world.users["committee"])
    page.goto(f"/staff/cases/{case.pk}/")
    form = page.locator("#move-refer_by_letter")
    form.evaluate("details => { details.open = true; }")
    select_id = form.locator("select[name$='-unit']").get_attribute("id")
    _pick(page, select_id, "交通", "县交通运输局")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    case.refresh_from_db()
    assert case.step == Step.HANDLING and case.lead_unit_id == world.unit.pk


def test_a_liaison_attaches_a_photo_to_a_visit_and_others_get_404(
    page, other_page, login, tmp_path, screenshot
):
    world = make_world()
    case = received(world)
    photo = tmp_path / "路灯.jpg"
    Image.new("RGB", (2400, 1600), (120, 120, 40)).save(photo, "JPEG")
    login(page, world.users["liaison"])
    page.goto("/staff/visits/")
    page.locator(f"a[href='/staff/visits/{case.visit_id}/files/']").click()
    page.set_input_files(".attachments input[type=file]", str(photo))
    with page.expect_navigation():
        page.locator(".attachments button[type=submit]").click()
    image = page.locator(".attachments img")
    assert loaded_width(image) == 2000
    screenshot(page, "workarea-visit-files")
    url = image.get_attribute("src")
    assert page.request.get(url).status == 200
    login(other_page, world.users["other_liaison"])
    assert other_page.request.get(url).status == 404


def test_the_referral_letter_shows_the_document_number_and_the_chinese_date(
    page, login, screenshot
):
    world = make_world()
    DocumentSequence.objects.create(
        region=Region.objects.get(code=COUNTY),
        issuer="长沙县人大常委会",
        prefix="长人联函",
        year=2026,
        last_number=11,
    )
    case = case_at(world, Step.HANDLING)
    login(page, world.users["committee"])
    page.goto(f"/staff/cases/{case.pk}/")
    page.locator(f"a[href='/staff/cases/{case.pk}/letter/']").click()
    page.wait_for_url(f"**/staff/cases/{case.pk}/letter/")
    year = case.events.last().at.year
    assert page.locator(".doc-number").inner_text() == f"长人联函〔{year}〕12号"
    signed = page.locator(".seal-block").inner_text()
    assert "长沙县人大常委会" in signed and "年" in signed and "月" in signed and "日" in signed
    screenshot(page, "workarea-referral-letter")
