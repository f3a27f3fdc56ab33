"""A representative's figures: their own dashboard, and the same for a committee that
sees them; each figure equals a hand count, opens exactly the list behind it, reads a
constant number of queries; out of scope is a 404."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from figures import representatives
from figures.definitions import BY_KEY
from figures.periods import month
from stations.models import Visit
from suggestions.cases import services
from suggestions.models import Case, Satisfaction, Step
from tests.case_world import case_at, received
from tests.clock import WORKDAY, frozen
from tests.factories import committee_user
from tests.suggestion_world import filed, make_suggestion_world
from tests.test_figures import hand_count

pytestmark = [pytest.mark.django_db, frozen()]

THIS_MONTH = {"period": "month", "year": WORKDAY.year, "month": WORKDAY.month}


@pytest.fixture
def world():
    """Cases of the representative's visits in every step, one reopened, one replied
    late, a merged duplicate, one of last month, one moved to another county; a visit
    received by someone else; two suggestions they signed."""
    w = make_suggestion_world()
    first = case_at(w, Step.RECEIVED)
    for step in (Step.REGISTERED, Step.HANDLING, Step.SUPERVISING, Step.REPLIED):
        case_at(w, step)
    case_at(w, Step.ARCHIVED)
    case_at(w, Step.FEEDBACK, satisfaction=Satisfaction.BASIC)
    reopened = case_at(w, Step.FEEDBACK, satisfaction=Satisfaction.UNSATISFIED)
    services.case_reopen(case_id=reopened.pk, actor=w.users["committee"], note="群众不满意")
    late = case_at(w, Step.HANDLING)
    Case.objects.filter(pk=late.pk).update(deadline=WORKDAY - dt.timedelta(days=3))
    services.case_reply(
        case_id=late.pk, actor=w.users["lead_unit"], result="cannot", reply="无", public_reply="无"
    )
    duplicate = received(w, title="重复")
    services.case_merge(case_id=duplicate.pk, actor=w.users["liaison"], into_id=first.pk)
    old = received(w, title="上月")
    Case.objects.filter(pk=old.pk).update(received_at=timezone.now() - dt.timedelta(days=40))
    elsewhere = received(w, title="外县")
    Case.objects.filter(pk=elsewhere.pk).update(
        station=w.other_station, region=w.other_station.region_id
    )
    # Received by another representative: not theirs.
    other = received(w, title="别人的")
    other.visit.representatives.set([w.co_signer])
    filed(w)
    filed(w, title="关于增设公交站点的建议")
    return w


def their_cases(w, *, visible_to_committee: bool) -> list[Case]:
    start, end = month(WORKDAY.year, WORKDAY.month).moments()
    cases = Case.objects.filter(
        visit__representatives=w.representative, received_at__gte=start, received_at__lt=end
    )
    if visible_to_committee:
        cases = cases.filter(region__code__startswith="430121")
    return list(cases)


def their_cases_ever(w, *, visible_to_committee: bool) -> list[Case]:
    cases = Case.objects.filter(visit__representatives=w.representative)
    if visible_to_committee:
        cases = cases.filter(region__code__startswith="430121")
    return list(cases)


def their_visits(w) -> list[Visit]:
    start, end = month(WORKDAY.year, WORKDAY.month).moments()
    return list(
        Visit.objects.filter(
            representatives=w.representative, visited_at__gte=start, visited_at__lt=end
        )
    )


@pytest.mark.parametrize("who", ["receiver", "committee"])
def test_each_figure_equals_a_hand_count(client, world, who):
    """Their own: every case of their visits; the committee: those in its county."""
    client.force_login(world.users[who])
    url = (
        reverse("staff:figures-mine")
        if who == "receiver"
        else reverse("staff:figures-representative", args=[world.representative.pk])
    )
    response = client.get(url, THIS_MONTH)
    assert response.status_code == 200
    values = response.context["values"]
    cases = their_cases(world, visible_to_committee=who == "committee")
    expected = hand_count(cases)
    assert {key: values[key] for key in expected} == expected
    # Nine in the county (the merged duplicate and last month's left out), one elsewhere.
    assert expected["collected"] == (10 if who == "receiver" else 9)
    # Replied, archived, fed back on time; one late; the reopened one not replied again.
    assert expected["timed"] == 4 and expected["on_time"] == 3
    assert str(values["on_time_rate"]) == "75.0"
    assert expected["rated"] == 2 and str(values["satisfaction_rate"]) == "100.0"
    visits = their_visits(world)
    if who == "committee":
        visits = [visit for visit in visits if visit.region_id.startswith("430121")]
    assert values["visits"] == len(visits)
    assert values["people"] == sum(visit.people_count for visit in visits)
    # Under supervision now, whenever received (the visible ones for the committee).
    every = their_cases_ever(world, visible_to_committee=who == "committee")
    assert values["escalated"] == sum(case.step == Step.SUPERVISING for case in every) == 1
    assert response.context["suggestions"]["total"] == 2


@pytest.mark.parametrize("who", ["receiver", "committee"])
def test_every_number_opens_exactly_its_list(client, world, who):
    client.force_login(world.users[who])
    url = reverse("staff:figures-representative", args=[world.representative.pk])
    response = client.get(url, THIS_MONTH)
    values = response.context["values"]
    opened = 0
    for card in response.context["cards"]:
        if not card["url"]:
            continue
        listing = client.get(card["url"]).context["listing"]
        figure = BY_KEY[card["key"]]
        expected = values[figure.rate_of[0]] if figure.rate_of else values[card["key"]]
        if card["key"] == "people":
            counted = sum(visit.people_count for visit in listing.page.object_list)
            assert counted == expected, card["key"]
        else:
            assert listing.page.paginator.count == expected, card["key"]
        opened += 1
    assert opened >= 12
    classified = [row for row in response.context["categories"] if row["url"]]
    assert classified
    for row in classified:
        listing = client.get(row["url"]).context["listing"]
        assert listing.page.paginator.count == row["collected"]
    suggestions = response.context["suggestions"]
    listing = client.get(suggestions["url"]).context["listing"]
    assert listing.page.paginator.count == suggestions["total"] == 2


def test_out_of_scope_is_not_found(client, world):
    url = reverse("staff:figures-representative", args=[world.representative.pk])
    # Another county, a township the representative does not sit in, a liaison, another
    # representative, a handling unit. (The world's township committee is theirs: the
    # representative sits in its station.)
    world.users["elsewhere"] = committee_user("430121002000")
    for who in ("other_committee", "elsewhere", "liaison", "co_signer", "lead_unit"):
        client.force_login(world.users[who])
        assert client.get(url).status_code == 404, who
    client.force_login(world.users["township_committee"])
    assert client.get(url).status_code == 200
    client.force_login(world.users["committee"])
    assert client.get(reverse("staff:figures-mine")).status_code == 404
    missing = reverse("staff:figures-representative", args=[10**9])
    assert client.get(missing).status_code == 404
    assert client.get(url, {"period": "custom", "start": "x"}).status_code == 200


def test_the_dashboard_reads_a_constant_number_of_queries(client, world):
    client.force_login(world.users["receiver"])
    url = reverse("staff:figures-mine")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, THIS_MONTH).status_code == 200
        return len(captured)

    before = queries()
    for step in (Step.SUPERVISING, Step.ARCHIVED, Step.REPLIED):
        case_at(world, step)
    other = world.category.__class__.objects.create(code="figures-rep", name="其他")
    Case.objects.filter(pk=case_at(world, Step.REGISTERED).pk).update(category=other)
    assert queries() == before
    assert before <= 25


def test_linked_from_the_record_page_and_the_representative_home(client, world):
    client.force_login(world.users["committee"])
    record = client.get(reverse("staff:duty-record", args=[world.representative.pk]))
    assert reverse("staff:figures-representative", args=[world.representative.pk]) in (
        record.content.decode()
    )
    client.force_login(world.users["receiver"])
    home = client.get(reverse("staff:representative"))
    assert reverse("staff:figures-mine") in home.content.decode()


def test_a_reply_without_known_timeliness_stays_out_of_the_rate(client, world):
    """A case answered before timeliness was recorded (and not filled in from its
    history) is completed, but neither on time nor late."""
    replied = Case.objects.filter(
        visit__representatives=world.representative, step=Step.REPLIED, replied_on_time=True
    ).first()
    Case.objects.filter(pk=replied.pk).update(replied_on_time=None)
    values = representatives.totals(
        world.users["receiver"], world.representative, month(WORKDAY.year, WORKDAY.month)
    )
    assert values["completed"] == 4
    assert values["timed"] == 3 and values["on_time"] == 2
    assert str(values["on_time_rate"]) == "66.7"
    # The rate's base opens the replies whose timeliness is known, not that one.
    period = month(WORKDAY.year, WORKDAY.month)
    client.force_login(world.users["receiver"])
    base = representatives.drill_url("timed", world.representative, period)
    assert client.get(base).context["listing"].page.paginator.count == 3
