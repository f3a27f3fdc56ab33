"""The loop closed with the constituent in real Chromium: an opinion submitted online, the
unit's reply, the SMS (the file backend) with the link, the constituent opening it,
reading the reply and rating it 不满意 — the case goes back to the unit — then a second
reply rated 满意, and the committee closing it off."""

import json
import re

import pytest
from django.core.cache import cache

from liaison.base.notifications.delivery import notifications_deliver
from suggestions.cases import services
from suggestions.models import Case, CaseRating, Step
from tests.case_world import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _open(page, move):
    page.locator(f"#move-{move}").evaluate("details => { details.open = true; }")


def _sms_links(path) -> list[str]:
    notifications_deliver()
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [m for line in lines for m in re.findall(r"https?://\S+", line["text"])]


def _unit_replies(page, login, world, case, text: str, public: str):
    login(page, world.users["lead_unit"])
    page.goto(f"/staff/cases/{case.pk}/")
    _open(page, "reply")
    page.locator("#move-reply input[value=solved]").check()
    page.fill("#id_reply-reply", text)
    page.fill("#id_reply-public_reply", public)
    page.locator("#move-reply button[type=submit]").click()
    page.wait_for_load_state()
    assert Case.objects.get(pk=case.pk).step == Step.REPLIED
    page.context.clear_cookies()


def _constituent_rates(page, link: str, reply: str, label: str, comment: str):
    page.goto(link)
    page.get_by_label("所留手机号码后4位").fill("5678")
    page.get_by_role("button", name="查询").click()
    assert reply in page.get_by_test_id("case-reply").inner_text()
    page.get_by_label(label, exact=True).check()
    page.get_by_label("意见（选填）").fill(comment)
    page.get_by_role("button", name="提交评价").click()
    page.wait_for_selector('[data-testid="rating-notice"]')


def test_the_constituent_reads_the_reply_rates_it_and_the_case_is_closed(
    page, login, live_server, settings, tmp_path, screenshot
):
    sms_file = tmp_path / "sms.jsonl"
    settings.SMS_BACKEND, settings.SMS_FILE_PATH = "console", str(sms_file)
    settings.PUBLIC_SITE_URL = live_server.url
    world = make_world()

    # The constituent raises an opinion online.
    page.goto(f"/cases/submit/?station={world.station.pk}")
    page.get_by_label("您的姓名").fill("李四")
    page.get_by_label("手机号码").fill("13812345678")
    page.get_by_label("类别").select_option(label=world.category.name)
    page.get_by_label("标题").fill("村口路灯不亮")
    page.get_by_label("意见内容").fill("村口三盏路灯坏了一个月，晚上出行不便。")
    page.get_by_label("我已阅读并同意上述个人信息使用说明。").check()
    page.get_by_role("button", name="提交").click()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    case = Case.objects.get(tracking_code=code)
    services.case_register(
        case_id=case.pk, actor=world.users["liaison"], category=world.category, authority="township"
    )
    services.case_refer_by_letter(case_id=case.pk, actor=world.users["committee"], unit=world.unit)

    # The unit replies; the SMS to the constituent carries the status link.
    _unit_replies(page, login, world, case, "已派人查看，更换了一盏。", "已更换一盏路灯。")
    links = _sms_links(sms_file)
    link = f"{live_server.url}/cases/status/?code={code}"
    assert link in links

    # The constituent opens it, reads the reply and is not satisfied: back to the unit.
    _constituent_rates(page, link, "已更换一盏路灯。", "不满意", "还有两盏不亮")
    screenshot(page, "public-status-rated-unsatisfied-zh")
    case.refresh_from_db()
    assert (case.step, case.reopen_count, case.lead_unit) == (Step.HANDLING, 1, world.unit)
    assert page.locator(".step").inner_text() == "处理"

    # A second reply, rated 满意 from the same link.
    _unit_replies(page, login, world, case, "三盏均已更换。", "三盏路灯均已更换。")
    _constituent_rates(page, link, "三盏路灯均已更换。", "满意", "谢谢")
    assert page.get_by_test_id("rated").is_visible()
    assert page.get_by_test_id("rating-form").count() == 0
    screenshot(page, "public-status-rated-satisfied-zh")
    content = page.content()
    assert "李四" not in content and "13812345678" not in content

    # The committee closes it off (销号); the constituent hears of it.
    login(page, world.users["committee"])
    page.goto(f"/staff/cases/{case.pk}/")
    _open(page, "archive")
    page.locator("#move-archive button[type=submit]").click()
    page.wait_for_load_state()
    case.refresh_from_db()
    assert case.step == Step.ARCHIVED
    ratings = list(CaseRating.objects.filter(case=case).values_list("round", "satisfaction"))
    assert ratings == [(0, "unsatisfied"), (1, "satisfied")]
    assert len(_sms_links(sms_file)) >= 3
    sms = sms_file.read_text(encoding="utf-8")
    assert "李四" not in sms and "销号" in sms
