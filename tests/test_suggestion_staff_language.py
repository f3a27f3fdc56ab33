"""The suggestion staff pages in Simplified Chinese show no English UI text; in English they do."""

import pytest
from django.test import Client

from suggestions.cases import services as case_services
from suggestions.models import Step
from suggestions.proposals import services
from suggestions.proposals.models import SuggestionStep as S
from tests.case_world import case_at
from tests.suggestion_world import make_suggestion_world, suggestion_at
from tests.test_staff_language import english_words

pytestmark = pytest.mark.django_db


def _pages(w):
    assigned = suggestion_at(w, S.ASSIGNED, joint=True)
    replied = suggestion_at(w, S.REPLIED, joint=True)
    rated = suggestion_at(w, S.RATED)
    services.suggestion_publish(suggestion_id=rated.pk, actor=w.users["committee"])
    services.suggestion_request_extension(
        suggestion_id=assigned.pk, actor=w.users["lead_unit"], reason="涉及多个部门"
    )
    from_case = case_at(w.world, Step.REGISTERED, authority="county")
    case_services.case_to_suggestion(case_id=from_case.pk, actor=w.users["committee"])
    return {
        "committee": [
            f"/staff/cases/{from_case.pk}/",
            f"/staff/suggestions/new/?case={from_case.pk}",
            "/staff/",
            "/staff/suggestions/",
            "/staff/suggestions/inbox/",
            f"/staff/suggestions/{assigned.pk}/",
            f"/staff/suggestions/{replied.pk}/",
            f"/staff/suggestions/{rated.pk}/",
            "/staff/suggestions/reports/",
            f"/staff/suggestions/excellent/?region={rated.region_id}",
            f"/staff/suggestions/new/?name={w.representative.name}",
            f"/staff/suggestions/new/?representative={w.representative.pk}",
        ],
        "lead_unit": [
            "/staff/",
            "/staff/suggestions/unit/",
            f"/staff/suggestions/{assigned.pk}/",
            "/staff/suggestions/reports/",
        ],
        "co_unit": ["/staff/suggestions/unit/", f"/staff/suggestions/{assigned.pk}/"],
        "receiver": [
            "/staff/",
            "/staff/suggestions/mine/",
            "/staff/suggestions/new/",
            f"/staff/suggestions/new/?case={from_case.pk}",
            f"/staff/suggestions/{replied.pk}/",
        ],
    }


def test_suggestion_staff_pages_have_no_untranslated_text_in_chinese():
    w = make_suggestion_world()
    found = {}
    for role, urls in _pages(w).items():
        client = Client(headers={"accept-language": "zh-hans"})
        client.force_login(w.users[role])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            if words := english_words(response.content.decode()):
                found[url] = sorted(words)
    assert found == {}


def test_suggestion_staff_pages_switch_to_english():
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.REPLIED)
    client = Client()
    client.force_login(w.users["receiver"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/staff/"})
    page = client.get(f"/staff/suggestions/{suggestion.pk}/").content.decode()
    assert "What you can do now" in page and "Basically satisfied" in page
    assert "我的建议" not in client.get("/staff/suggestions/mine/").content.decode()
