"""Livelihood projects in real Chromium: a topic from a case and one from the public form
→ the candidate list → the tellers enter the count → the public page shows the adopted
projects → the unit reports progress → a supervising representative rates it."""

import pytest
from django.utils import timezone

from projects.models import Project
from tests.case_world import case_at
from tests.case_world import make_world as make_case_world
from tests.factories import RepresentativeFactory, region, representative_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_topics_to_vote_to_public_progress_and_rating(page, login, screenshot):
    world = make_case_world()
    case = case_at(world, "registered")
    committee, unit_user = world.users["committee"], world.users["lead_unit"]
    county = region("430121000000", "长沙县")
    rep = RepresentativeFactory(name="赵监督", region=county)
    representative_user(rep)
    year = timezone.localdate().year

    # A topic from the case, one click from its page.
    login(page, committee)
    page.goto(f"/staff/cases/{case.pk}/")
    page.locator("a.topic-from-case").click()
    page.select_option("#id_region", "430121000000")
    page.fill("#id_title", "村口路灯改造")
    page.select_option("#id_category", "transport")
    page.locator(".topic-form button[type=submit]").click()
    page.wait_for_url("**/staff/projects/*/")
    from_case = Project.objects.get(title="村口路灯改造")
    assert list(from_case.cases.all()) == [case]

    # A topic from the public form.
    public = page.context.browser.new_context(base_url=page.url.split("/staff/")[0], locale="zh-CN")
    visitor = public.new_page()
    visitor.goto("/projects/propose/")
    visitor.select_option("#id_region", "430121000000")
    visitor.select_option("#id_category", "health")
    visitor.fill("#id_title", "新建村卫生室")
    visitor.fill("#id_description", "村里看病要走十公里。")
    visitor.fill("#id_phone", "13912345678")
    visitor.check("#id_consent")
    visitor.locator(".topic-form button[type=submit]").click()
    visitor.get_by_role("heading", name="议题已收到").wait_for()
    from_public = Project.objects.get(title="新建村卫生室")

    # The committee screens both onto the candidate list, with a third that loses.
    page.goto("/staff/projects/new/")
    page.select_option("#id_region", "430121000000")
    page.fill("#id_title", "文化广场")
    page.select_option("#id_category", "other")
    page.locator(".topic-form button[type=submit]").click()
    page.wait_for_url("**/staff/projects/*/")
    third = Project.objects.get(title="文化广场")
    for project in (from_case, from_public, third):
        page.goto(f"/staff/projects/{project.pk}/")
        page.locator("#move-shortlist button[type=submit]").click()
        page.get_by_text("已完成：列入候选项目").wait_for()

    # The vote: paper ballots, the tellers' count.
    page.goto("/staff/projects/votes/new/")
    page.select_option("#id_region", "430121000000")
    page.fill("#id_session", "第十八届人民代表大会第三次会议")
    page.select_option("#id_kind", "paper")
    page.fill("#id_seats", "2")
    page.fill("#id_members", "100")
    page.fill("#id_present", "90")
    page.locator(".vote-form button[type=submit]").click()
    page.wait_for_url("**/staff/projects/votes/*/")
    for project, votes_for in ((from_case, 80), (from_public, 75), (third, 30)):
        row = page.locator(f'tr[data-candidate="{project.pk}"]')
        row.locator(f"#id_votes_for_{project.pk}").fill(str(votes_for))
        row.locator(f"#id_against_{project.pk}").fill(str(88 - votes_for))
        row.locator(f"#id_invalid_{project.pk}").fill("2")
    page.locator(".tally-form button[type=submit]").click()
    page.get_by_text("计票已录入").wait_for()
    page.locator(".publish-form button[type=submit]").click()
    page.get_by_text("结果已公布").first.wait_for()
    screenshot(page, "projects-vote-staff")

    # The public page shows the adopted projects and the figures.
    visitor.goto(f"/projects/?year={year}")
    assert visitor.locator('[data-figure="topics"]').inner_text() == "征集议题3个"
    assert visitor.locator('[data-figure="projects"]').inner_text() == "票决产生项目2个"
    visitor.get_by_role("link", name="第十八届人民代表大会第三次会议").click()
    assert visitor.locator(f'tr[data-candidate="{third.pk}"] .result-cell').inner_text() == "未通过"
    assert (
        visitor.locator(f'tr[data-candidate="{from_case.pk}"] .result-cell').inner_text() == "通过"
    )
    assert "13912345678" not in visitor.content()
    screenshot(visitor, "projects-vote-public")

    # Assigned to the unit with a supervising representative.
    page.goto(f"/staff/projects/{from_public.pk}/")
    page.select_option("#id_assign-unit", str(world.unit.pk))
    page.fill("#id_assign-budget", "80")
    page.select_option("#id_assign-supervisors", [str(rep.pk)])
    page.locator("#move-assign button[type=submit]").click()
    page.get_by_text("已完成：交承办单位实施").wait_for()

    # The unit reports progress.
    login(page, unit_user)
    page.goto(f"/staff/projects/{from_public.pk}/")
    page.locator("#move-report summary").click()
    page.fill("#id_report-text", "已完成选址和设计。")
    page.fill("#id_report-progress", "40")
    page.locator("#move-report button[type=submit]").click()
    page.get_by_text("已完成：报告进展").wait_for()

    # The supervising representative rates it at mid-year.
    login(page, rep.user)
    page.goto(f"/staff/projects/{from_public.pk}/")
    page.select_option("#id_rate-period", "mid_year")
    page.select_option("#id_rate-rating", "basic")
    page.locator("#move-rate button[type=submit]").click()
    page.get_by_text("已完成：评价进展").wait_for()

    visitor.goto(f"/projects/{from_public.pk}/")
    assert visitor.locator("[data-progress]").inner_text() == "40%"
    assert "已完成选址和设计。" in visitor.content()
    assert visitor.locator('[data-rating="1-2"]').inner_text() == "1"
    assert "赵监督" not in visitor.content() and "13912345678" not in visitor.content()
    screenshot(visitor, "projects-public-progress")
    public.close()
