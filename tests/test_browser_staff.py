"""The staff work area in real Chromium: one test per role, the whole path of a case from
the reception desk to the archive, scope in the browser, and the language switch.
Screenshots of the main pages go to test-artifacts/screenshots/."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from stations.models import ReceptionDay
from stations.services import reception_day_set_duty
from suggestions.models import Case, Step
from tests.case_world import case_at, make_world, received
from tests.factories import HandlingUnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _today_with_duty(world):
    day = ReceptionDay.objects.create(
        station=world.station, date=timezone.localdate(), place="便民服务中心二楼"
    )
    reception_day_set_duty(actor=None, day=day, representatives=[world.representative])
    return day


def _open(page, move):
    """Unfold a move's form (the first one is unfolded already)."""
    page.locator(f"#move-{move}").evaluate("details => { details.open = true; }")


def _log_visit(page, *, phone, name, issues):
    """Keyboard only: the phone has the focus, Tab moves on, Enter saves."""
    page.goto("/staff/reception/")
    assert page.evaluate("document.activeElement.id") == "id_constituent_phone"
    page.keyboard.type(phone)
    page.keyboard.press("Tab")
    page.keyboard.type(name)
    for index, (title, details) in enumerate(issues):
        page.fill(f"#id_cases-{index}-title", title)
        page.fill(f"#id_cases-{index}-description", details)
    page.focus("#id_cases-0-title")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_whole_path_from_the_reception_desk_to_the_archive(page, login, screenshot):
    """A liaison logs a visit raising two cases; the committee registers one and refers it to
    a unit; the unit replies; the liaison records feedback; the committee archives it."""
    world = make_world()
    _today_with_duty(world)
    users = world.users

    login(page, users["liaison"])
    _log_visit(
        page,
        phone="13911112222",
        name="王五",
        issues=[
            ("小区路灯不亮", "三栋门口路灯坏了一个月。"),
            ("垃圾清运不及时", "每周只清运一次。"),
        ],
    )
    assert page.locator(".message.success").is_visible()
    screenshot(page, "staff-liaison-reception-desk")
    cases = list(Case.objects.filter(visit__constituent_name="王五").order_by("id"))
    assert [c.title for c in cases] == ["小区路灯不亮", "垃圾清运不及时"]
    case = cases[0]
    page.context.clear_cookies()

    login(page, users["committee"])
    page.goto(f"/staff/cases/{case.pk}/")
    page.select_option("#id_register-category", str(world.category.pk))
    page.select_option("#id_register-authority", "township")
    page.locator("#move-register button[type=submit]").click()
    page.wait_for_load_state()
    _open(page, "refer_by_letter")
    _pick(page, "id_refer_by_letter-unit", world.unit.name)
    page.locator("#move-refer_by_letter button[type=submit]").click()
    page.wait_for_load_state()
    assert Case.objects.get(pk=case.pk).step == Step.HANDLING
    screenshot(page, "staff-committee-case-detail")
    page.context.clear_cookies()

    login(page, users["lead_unit"])
    page.goto("/staff/unit/")
    page.get_by_role("link", name=case.tracking_code).click()
    _open(page, "reply")
    page.locator("#move-reply input[value=solved]").check()
    page.fill("#id_reply-reply", "已更换路灯。")
    page.fill("#id_reply-public_reply", "您反映的路灯已更换。")
    page.locator("#move-reply button[type=submit]").click()
    page.wait_for_load_state()
    assert Case.objects.get(pk=case.pk).step == Step.REPLIED
    screenshot(page, "staff-unit-case-replied")
    page.context.clear_cookies()

    login(page, users["liaison"])
    page.goto(f"/staff/cases/{case.pk}/")
    page.locator("#move-feedback input[value=satisfied]").check()
    page.fill("#id_feedback-note", "电话告知王五，群众满意。")
    page.locator("#move-feedback button[type=submit]").click()
    page.wait_for_load_state()
    assert Case.objects.get(pk=case.pk).step == Step.FEEDBACK
    page.context.clear_cookies()

    login(page, users["committee"])
    page.goto(f"/staff/cases/{case.pk}/")
    page.locator("#move-archive button[type=submit]").click()
    page.wait_for_load_state()
    archived = Case.objects.get(pk=case.pk)
    assert archived.step == Step.ARCHIVED
    kinds = list(archived.events.values_list("kind", flat=True))
    assert kinds == ["receive", "register", "refer_by_letter", "reply", "feedback", "archive"]
    assert page.locator(".timeline li").count() == 6
    screenshot(page, "staff-case-archived-timeline")
    assert Case.objects.get(pk=cases[1].pk).step == Step.RECEIVED


def test_liaison_recognises_a_returning_constituent_and_cannot_open_another_station(
    page, login, screenshot
):
    """Typing a known phone shows the earlier visit (htmx); another station's case is 404."""
    world = make_world()
    _today_with_duty(world)
    received(world, title="路灯不亮")
    foreign = case_at(world, Step.RECEIVED)
    Case.objects.filter(pk=foreign.pk).update(station=world.other_station)
    login(page, world.users["liaison"])
    page.goto("/staff/reception/")
    page.keyboard.type("13812345678")
    page.locator("#returning .returning").wait_for()
    assert "路灯不亮" in page.locator("#returning").inner_text()
    page.get_by_role("button", name="使用这些信息").click()
    assert page.input_value("#id_constituent_name") == "张三"
    screenshot(page, "staff-liaison-returning-constituent")
    response = page.goto(f"/staff/cases/{foreign.pk}/")
    assert response.status == 404
    page.goto("/staff/reception/plan/")
    screenshot(page, "staff-liaison-reception-plan")


def test_committee_bulk_assigns_from_the_inbox_and_sees_refusals(page, login, screenshot):
    world = make_world()
    first, second = case_at(world, Step.REGISTERED), case_at(world, Step.REGISTERED)
    fresh = case_at(world, Step.RECEIVED)
    login(page, world.users["committee"])
    page.goto("/staff/inbox/")
    screenshot(page, "staff-committee-inbox")
    for case in (first, second, fresh):
        page.get_by_label(case.tracking_code).check()
    _pick(page, "id_unit", world.unit.name)
    page.get_by_role("button", name="交办", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".message.error", has_text=fresh.tracking_code).is_visible()
    steps = dict(Case.objects.values_list("pk", "step"))
    assert steps[first.pk] == steps[second.pk] == Step.HANDLING
    page.goto("/staff/overdue/")
    screenshot(page, "staff-committee-overdue")


def test_unit_sees_only_its_own_items(page, login, screenshot):
    world = make_world()
    own = case_at(world, Step.HANDLING)
    other = case_at(world, Step.REGISTERED)
    from suggestions.cases import services

    services.case_refer_by_letter(
        case_id=other.pk, actor=world.users["committee"], unit=HandlingUnitFactory()
    )
    login(page, world.users["lead_unit"])
    page.goto("/staff/unit/")
    assert page.get_by_role("link", name=own.tracking_code).is_visible()
    assert page.get_by_role("link", name=other.tracking_code).count() == 0
    assert page.goto(f"/staff/cases/{other.pk}/").status == 404
    page.goto(f"/staff/cases/{own.pk}/")
    _open(page, "set_plan")
    page.fill("#id_set_plan-handler", "王科长")
    page.fill("#id_set_plan-plan", "两周内完成维修。")
    page.locator("#move-set_plan button[type=submit]").click()
    page.wait_for_load_state()
    assert Case.objects.get(pk=own.pk).handler == "王科长"
    screenshot(page, "staff-unit-case")


def test_representative_sees_duty_days_and_received_cases(page, login, screenshot):
    world = make_world()
    _today_with_duty(world)
    case = received(world, title="道路破损")
    login(page, world.users["receiver"])
    page.goto("/staff/representative/")
    assert page.get_by_text(world.station.name).first.is_visible()
    assert page.get_by_role("link", name=case.tracking_code).is_visible()
    screenshot(page, "staff-representative")


def test_staff_pages_switch_to_english_and_fit_a_tablet(page, login, screenshot):
    world = make_world()
    case_at(world, Step.HANDLING)
    login(page, world.users["committee"])
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto("/staff/")
    assert page.get_by_role("heading", name=re.compile("我的工作")).is_visible()
    screenshot(page, "staff-my-work-tablet")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name=re.compile("My work")).is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 768, width
    page.goto("/staff/cases/")
    screenshot(page, "staff-cases-english")
    assert dt.date.today().year > 2000


def _pick(page, select_id: str, name: str):
    """Type a unit's name into its picker and choose it (the select itself is hidden)."""
    page.fill(f"#{select_id}-search", name)
    page.locator(f"#{select_id}-options [role=option]", has_text=name).first.click()
