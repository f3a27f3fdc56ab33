"""The main staff pages in Simplified Chinese show no English UI text; in English they do."""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from stations.models import ReceptionDay
from suggestions.models import Step
from tests.case_world import case_at, make_world

pytestmark = pytest.mark.django_db

# Words that are not UI text: the language switch names English in English, and the
# weekday abbreviations of dates stay as Django formats them.
ALLOWED = {"English"}
TRACKING_CODE = re.compile(r"\b[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}\b")


class VisibleText(HTMLParser):
    """Text a person reads: element text, button values, labels and placeholders."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("placeholder", "aria-label", "title") and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    text = TRACKING_CODE.sub(" ", " ".join(parser.parts))
    return set(re.findall(r"[A-Za-z]{3,}", text)) - ALLOWED


def _pages(world):
    handling = case_at(world, Step.HANDLING)
    registered = case_at(world, Step.REGISTERED)
    day = ReceptionDay.objects.create(station=world.station, date=handling.deadline)
    day.duties.create(representative=world.representative, date=day.date, kind="grassroots")
    return {
        "liaison": [
            "/staff/",
            "/staff/reception/",
            "/staff/reception/plan/",
            f"/staff/reception/days/{day.pk}/",
            f"/staff/reception/days/{day.pk}/notice/",
            "/staff/visits/",
            f"/staff/visits/{handling.visit_id}/sheet/",
            f"/staff/cases/{registered.pk}/",
            f"/staff/cases/{handling.pk}/letter/",
        ],
        "committee": [
            "/staff/",
            "/staff/inbox/",
            "/staff/overdue/",
            "/staff/cases/",
            f"/staff/cases/{handling.pk}/",
            f"/staff/cases/{registered.pk}/",
        ],
        "lead_unit": ["/staff/unit/", f"/staff/cases/{handling.pk}/"],
        "receiver": ["/staff/representative/"],
    }


def test_main_staff_pages_have_no_untranslated_text_in_chinese():
    world = make_world()
    found = {}
    for role, urls in _pages(world).items():
        client = Client(headers={"accept-language": "zh-hans"})
        client.force_login(world.users[role])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            if words := english_words(response.content.decode()):
                found[url] = sorted(words)
    assert Client().get("/staff/login/").status_code == 200
    assert english_words(Client().get("/staff/login/").content.decode()) == set()
    assert found == {}


def test_staff_pages_switch_to_english():
    world = make_world()
    client = Client()
    client.force_login(world.users["committee"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/staff/"})
    page = client.get("/staff/").content.decode()
    assert "My work" in page and "Waiting for me" in page and "我的工作" not in page
