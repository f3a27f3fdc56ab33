"""Representative suggestions in real Chromium, the whole path: a representative files
one; the committee accepts it and assigns a lead and a co-unit; the lead unit fixes the
三定 and the co-unit gives its opinion; the lead unit replies; the representative rates it
不满意; the committee orders re-handling; the unit replies again; the representative rates
it 满意; the committee publishes and closes it, and the public page shows it. Screenshots
of the main suggestion pages go to test-artifacts/screenshots/."""

import datetime as dt

import pytest
from django.utils import timezone

from suggestions.proposals.models import Rating, Suggestion
from suggestions.proposals.models import SuggestionStep as S
from tests.suggestion_world import make_suggestion_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于增设星沙街道东片区公交站点的建议"


def _open(page, move):
    """Unfold a move's form (the first one is unfolded already)."""
    page.locator(f"#move-{move}").evaluate("details => { details.open = true; }")


def _submit(page, move):
    page.locator(f"#move-{move} button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".message.success").is_visible(), page.locator(
        ".messages"
    ).all_inner_texts()


def _as(page, login, user, url):
    page.context.clear_cookies()
    login(page, user)
    page.goto(url)


def _rate(page, rating):
    page.locator(f"#move-rate input[value={rating}]").check()
    _submit(page, "rate")


def _reply(page, text):
    _open(page, "reply")
    page.locator("#move-reply input[value=A]").check()
    page.fill("#id_reply-text", text)
    _submit(page, "reply")


def test_a_suggestion_from_filing_to_the_public_page(page, login, screenshot):
    w = make_suggestion_world()
    users = w.users

    login(page, users["receiver"])
    page.goto("/staff/suggestions/mine/")
    page.get_by_role("link", name="提出建议").click()
    page.fill("#id_title", TITLE)
    page.fill("#id_content", "东片区居民出行不便，最近的公交站点步行需二十分钟，建议增设站点。")
    page.select_option("#id_session", "recess")
    page.select_option("#id_category", str(w.category.pk))
    screenshot(page, "staff-suggestion-file")
    page.get_by_role("button", name="提交建议").click()
    page.wait_for_load_state()
    suggestion = Suggestion.objects.get(title=TITLE)
    assert suggestion.step == S.FILED
    detail = f"/staff/suggestions/{suggestion.pk}/"
    assert page.url.endswith(detail)
    assert page.get_by_text("此建议当前没有需要您办理的事项。").is_visible()

    _as(page, login, users["committee"], "/staff/suggestions/inbox/")
    screenshot(page, "staff-suggestion-committee-inbox")
    page.get_by_role("link", name=suggestion.number).click()
    _submit(page, "accept")
    _open(page, "assign")
    _pick(page, "id_assign-lead_unit", w.unit.name)
    _pick(page, "id_assign-co_units", w.co_unit.name)
    screenshot(page, "staff-suggestion-committee-assign")
    _submit(page, "assign")
    assert Suggestion.objects.get(pk=suggestion.pk).step == S.ASSIGNED

    _as(page, login, users["lead_unit"], "/staff/suggestions/unit/")
    screenshot(page, "staff-suggestion-unit-list")
    page.get_by_role("link", name=suggestion.number).click()
    _open(page, "start")
    page.fill("#id_start-handler_name", "王科长")
    page.fill("#id_start-handler_phone", "13900001111")
    page.fill("#id_start-plan", "会同交通运输局实地踏勘，优化线路后增设站点。")
    planned = timezone.localdate() + dt.timedelta(days=30)
    page.fill("#id_start-planned_reply_date", planned.isoformat())
    _submit(page, "start")
    assert Suggestion.objects.get(pk=suggestion.pk).step == S.HANDLING

    _as(page, login, users["co_unit"], detail)
    page.fill("#id_counit_opinion-opinion", "同意增设，建议站点设在社区服务中心旁。")
    _submit(page, "counit_opinion")
    assert page.get_by_text("同意增设，建议站点设在社区服务中心旁。").first.is_visible()

    _as(page, login, users["lead_unit"], detail)
    _open(page, "record_contact")
    page.select_option("#id_record_contact-stage", "before")
    page.select_option("#id_record_contact-way", "phone")
    page.fill("#id_record_contact-on", timezone.localdate().isoformat())
    page.fill("#id_record_contact-note", "电话听取代表意见。")
    _submit(page, "record_contact")
    _reply(page, "已完成线路勘察，拟于下季度增设站点。")
    assert Suggestion.objects.get(pk=suggestion.pk).step == S.REPLIED
    screenshot(page, "staff-suggestion-unit-replied")

    _as(page, login, users["receiver"], "/staff/suggestions/mine/")
    page.locator(".panel").get_by_role("link", name=suggestion.number).click()
    _rate(page, Rating.UNSATISFIED)
    assert Suggestion.objects.get(pk=suggestion.pk).satisfaction == Rating.UNSATISFIED
    assert page.locator("#move-rate").count() == 0

    _as(page, login, users["committee"], detail)
    assert page.locator("#move-close").count() == 0
    page.fill("#id_rehandle-note", "代表不满意，限期重新办理。")
    _submit(page, "rehandle")
    assert Suggestion.objects.get(pk=suggestion.pk).step == S.REHANDLING

    _as(page, login, users["lead_unit"], detail)
    _reply(page, "站点已于本月建成并投入使用。")

    _as(page, login, users["receiver"], detail)
    _rate(page, Rating.SATISFIED)
    screenshot(page, "staff-suggestion-rated")

    _as(page, login, users["committee"], detail)
    _open(page, "publish")
    _submit(page, "publish")
    _open(page, "close")
    _submit(page, "close")
    done = Suggestion.objects.get(pk=suggestion.pk)
    assert (done.step, done.satisfaction, done.rehandle_count) == (S.CLOSED, Rating.SATISFIED, 1)
    assert done.published
    screenshot(page, "staff-suggestion-committee-closed")
    page.goto("/staff/suggestions/reports/")
    assert page.locator(".figures-by-unit").get_by_text(w.unit.name).is_visible()
    screenshot(page, "staff-suggestion-reports")

    page.context.clear_cookies()
    page.goto(f"/suggestions/{suggestion.pk}/")
    body = page.locator("main").inner_text()
    assert TITLE in body
    assert "站点已于本月建成并投入使用。" in body
    assert "满意" in body
    screenshot(page, "public-suggestion-detail")


def _pick(page, select_id: str, name: str):
    """Type a unit's name into its picker and choose it (the select itself is hidden)."""
    page.fill(f"#{select_id}-search", name)
    page.locator(f"#{select_id}-options [role=option]", has_text=name).first.click()
