"""A staff form sent twice from the browser (a double click, the form sent again from the
same page) makes its move once: each form carries a one-time token (static/js/staff.js)."""

import pytest

from suggestions.models import CaseEvent, Step
from tests.case_world import case_at, make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_move_form_sent_twice_is_made_once(page, login):
    world = make_world()
    case = case_at(world, Step.HANDLING)
    login(page, world.users["committee"])
    page.goto(f"/staff/cases/{case.pk}/")
    page.locator("#move-supervise").evaluate("details => { details.open = true; }")
    form = page.locator("#move-supervise form")
    token = form.locator('input[name="_once"]').input_value()
    assert len(token) == 32
    form.locator("textarea, input[type=text]").first.fill("请加快办理")
    # The same form, token and all, sent twice as a double click or a resend would.
    page.evaluate(
        """async () => {
            const form = document.querySelector('#move-supervise form');
            const body = new FormData(form);
            await fetch(form.action, {method: 'POST', body, redirect: 'manual'});
            await fetch(form.action, {method: 'POST', body, redirect: 'manual'});
        }"""
    )
    assert CaseEvent.objects.filter(case=case, kind="supervise").count() == 1
    page.goto(f"/staff/cases/{case.pk}/")
    assert "已经提交过" in page.content()
    # A page loaded again has a new token: sending the form then is a new move.
    assert page.locator('#move-supervise input[name="_once"]').input_value() != token
