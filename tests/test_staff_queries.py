"""Every staff list page answers from the same number of queries at 1 row and at 50."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stations.models import ReceptionDay
from stations.services import reception_day_set_duty
from suggestions.models import Step
from tests.case_world import case_at, make_world, received
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen()]

YEAR = 2031


def _plan_day(world, n):
    day = ReceptionDay.objects.create(
        station=world.station, date=dt.date(YEAR, 1, 1) + dt.timedelta(days=n)
    )
    reception_day_set_duty(actor=None, day=day, representatives=[world.representative])


# page: (role, url, how to add the n-th row, rows the page shows at most, when to look)
PAGES = {
    "cases": ("committee", "/staff/cases/", lambda w, n: received(w), None),
    "inbox": ("committee", "/staff/inbox/", lambda w, n: received(w), None),
    "overdue": ("committee", "/staff/overdue/", lambda w, n: case_at(w, Step.HANDLING), 400),
    "unit": ("lead_unit", "/staff/unit/", lambda w, n: case_at(w, Step.HANDLING), None),
    "representative": ("receiver", "/staff/representative/", lambda w, n: received(w), None),
    "visits": ("liaison", "/staff/visits/", lambda w, n: received(w), None),
    "plan": ("liaison", f"/staff/reception/plan/?year={YEAR}", _plan_day, None),
    "my-work": ("committee", "/staff/", lambda w, n: case_at(w, Step.REGISTERED), None),
}


def _count(user, url, days_later):
    travel = (
        time_machine.travel(timezone.now() + dt.timedelta(days=days_later), tick=False)
        if days_later
        else None
    )
    if travel:
        travel.start()
    try:
        client = Client()
        client.force_login(user)
        client.get(url)  # warm: the session and the user's scope
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
    finally:
        if travel:
            travel.stop()
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("page", PAGES)
def test_list_page_queries_are_constant_from_1_to_50_rows(page, settings):
    # Looked at 400 days on, the users' passwords would have expired: this counts the
    # page's queries, not the expiry (tests/test_security_passwords.py).
    settings.PASSWORD_MAX_AGE_DAYS = 0
    role, url, add_row, days_later = PAGES[page]
    world = make_world()
    add_row(world, 0)
    one, response = _count(world.users[role], url, days_later)
    for n in range(1, 50):
        add_row(world, n)
    fifty, response = _count(world.users[role], url, days_later)
    listing = response.context.get("listing")
    if listing is not None:
        assert len(listing.page.object_list) == 50
    assert one == fifty <= 10, (one, fifty)


def test_my_work_queries_do_not_depend_on_which_sections_have_rows():
    """The day before a case's deadline, on it and after it, the case moves from no section
    of "my work" to "due today" to "overdue": the page costs the same queries every day."""
    world = make_world()
    case = case_at(world, Step.HANDLING)
    until_deadline = (case.deadline - timezone.localdate()).days
    counts = [_count(world.users["committee"], "/staff/", until_deadline + n) for n in (-1, 0, 1)]
    sections = [
        [name for name in ("due_today", "overdue") if response.context[name]]
        for _queries, response in counts
    ]
    assert sections == [[], ["due_today"], ["overdue"]]
    assert counts[0][0] == counts[1][0] == counts[2][0] <= 10, [n for n, _ in counts]
