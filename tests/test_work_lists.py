"""Home lists say how many there are and link to all of them; the unit's list puts what
it still has to do first."""

import re

import pytest
from django.test import Client

from suggestions.models import Step
from tests.case_world import case_at, make_world

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_waiting_for_me_shows_its_count_and_links_to_every_row():
    """The unit's "waiting for me" stopped at 10 rows with no way to the rest."""
    world = make_world()
    cases = [case_at(world, Step.HANDLING) for _ in range(11)]
    client = client_for(world.users["lead_unit"])
    home = client.get("/staff/").content.decode()
    waiting = home.split('class="work-grid"')[1].split("</section>")[0]
    assert '<span class="count">11</span>' in waiting
    link = re.search(r'href="(/staff/cases/\?waiting=true[^"]*)"', waiting)[1]
    link = link.replace("&amp;", "&")
    listed = client.get(link).content.decode()
    assert all(case.tracking_code in listed for case in cases)


def test_the_waiting_filter_keeps_to_the_users_moves():
    world = make_world()
    mine = case_at(world, Step.HANDLING)
    done = case_at(world, Step.REPLIED)
    page = client_for(world.users["lead_unit"]).get("/staff/cases/", {"waiting": "true"})
    text = page.content.decode()
    assert mine.tracking_code in text and done.tracking_code not in text


def test_the_units_list_puts_open_work_first():
    """Sorted by deadline, finished cases (earlier deadlines) came first."""
    world = make_world()
    finished = case_at(world, Step.ARCHIVED)
    open_case = case_at(world, Step.HANDLING)
    finished.__class__.objects.filter(pk=finished.pk).update(deadline="2026-01-05")
    client = client_for(world.users["lead_unit"])
    text = client.get("/staff/unit/", {"state": "all"}).content.decode()
    assert text.index(open_case.tracking_code) < text.index(finished.tracking_code)
    # By default the page shows the open work only.
    text = client.get("/staff/unit/").content.decode()
    assert open_case.tracking_code in text and finished.tracking_code not in text
