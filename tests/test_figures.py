"""Every figure equals a hand count of the cases behind it, per place and period, from the
roll-ups as from the cases; a committee never gets another county's figures."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from figures import rollups, selectors
from figures.definitions import CASE_COLUMNS
from figures.models import CaseDay
from figures.periods import month, year
from figures.scopes import place_for
from suggestions.cases import services
from suggestions.cases.selectors import ASSIGNED
from suggestions.models import Case, Satisfaction, Step
from tests.case_world import COUNTY, TOWNSHIP, case_at, make_world, received
from tests.clock import WORKDAY, frozen

pytestmark = [pytest.mark.django_db, frozen()]


def hand_count(cases) -> dict:
    """The figures counted one case at a time, in Python, from their definitions' words."""
    cases = [case for case in cases if case.step != Step.MERGED]
    return {
        "collected": len(cases),
        "assigned": sum(case.disposition in ASSIGNED for case in cases),
        "completed": sum(case.replied_at is not None for case in cases),
        "solved": sum(case.result == "solved" for case in cases),
        "cannot": sum(case.result == "cannot" for case in cases),
        "timed": sum(case.replied_on_time is not None for case in cases),
        "on_time": sum(case.replied_on_time is True for case in cases),
        "rated": sum(case.satisfaction != "" for case in cases),
        "satisfied": sum(case.satisfaction in ("satisfied", "basic") for case in cases),
        "rehandled": sum(case.reopen_count > 0 for case in cases),
    }


@pytest.fixture
def world():
    w = make_world()
    first = case_at(w, Step.RECEIVED)
    for step in (Step.REGISTERED, Step.HANDLING, Step.SUPERVISING, Step.REPLIED):
        case_at(w, step)
    case_at(w, Step.ARCHIVED)
    case_at(w, Step.FEEDBACK, satisfaction=Satisfaction.UNSATISFIED)
    case_at(w, Step.FEEDBACK, satisfaction=Satisfaction.BASIC)
    reopened = case_at(w, Step.FEEDBACK, satisfaction=Satisfaction.UNSATISFIED)
    services.case_reopen(case_id=reopened.pk, actor=w.users["committee"], note="群众不满意")
    cannot = case_at(w, Step.HANDLING)
    services.case_reply(
        case_id=cannot.pk,
        actor=w.users["lead_unit"],
        result="cannot",
        reply="暂无资金",
        public_reply="暂无资金，已列入明年计划。",
    )
    late = case_at(w, Step.HANDLING)
    Case.objects.filter(pk=late.pk).update(deadline=WORKDAY - dt.timedelta(days=3))
    late.refresh_from_db()
    services.case_reply(
        case_id=late.pk,
        actor=w.users["lead_unit"],
        result="solved",
        reply="已办",
        public_reply="已办结。",
    )
    duplicate = received(w, title="重复")
    services.case_merge(case_id=duplicate.pk, actor=w.users["liaison"], into_id=first.pk)
    # One case of last month, and one in another county.
    old = received(w, title="上月")
    Case.objects.filter(pk=old.pk).update(received_at=timezone.now() - dt.timedelta(days=40))
    elsewhere = received(w, title="外县")
    Case.objects.filter(pk=elsewhere.pk).update(
        station=w.other_station, region=w.other_station.region_id
    )
    rollups.rebuild()
    return w


def test_each_figure_equals_a_hand_count_per_place_and_period(world):
    """County, township, station, unit and category; this month, last month, the year."""
    this_month = month(WORKDAY.year, WORKDAY.month)
    last = WORKDAY.replace(day=1) - dt.timedelta(days=1)
    places = {
        "county": ({"region": COUNTY}, {"region__code__startswith": COUNTY[:6]}),
        "township": ({"region": TOWNSHIP}, {"region__code__startswith": TOWNSHIP[:9]}),
        "station": ({"station": str(world.station.pk)}, {"station": world.station}),
        "unit": ({"unit": str(world.unit.pk)}, {"lead_unit": world.unit}),
        "category": (
            {"region": COUNTY, "category": str(world.category.pk)},
            {"region__code__startswith": COUNTY[:6], "category": world.category},
        ),
    }
    admin = world.users["admin"]
    checked = 0
    for params, lookup in places.values():
        place = place_for(admin, params)
        for period in (this_month, month(last.year, last.month), year(WORKDAY.year)):
            start, end = period.moments()
            cases = Case.objects.filter(**lookup, received_at__gte=start, received_at__lt=end)
            expected = hand_count(list(cases))
            figures = selectors.totals(place, period)
            assert {key: figures[key] for key in CASE_COLUMNS} == expected
            assert {key: selectors.live_totals(cases)[key] for key in CASE_COLUMNS} == expected
            checked += expected["collected"]
    assert checked > 30  # the places and periods are not empty


def test_the_figures_of_the_month_by_name(world):
    """The fixture's month read figure by figure, with the rates."""
    figures = selectors.totals(place_for(world.users["committee"], {}), month(2026, WORKDAY.month))
    assert figures["collected"] == 11  # the merged duplicate and last month's left out
    assert figures["completed"] == 6  # replied, archived, 2 fed back, cannot, late; not reopened
    assert figures["solved"] == 5 and figures["cannot"] == 1
    assert figures["on_time"] == 5 and figures["timed"] == 6
    assert str(figures["on_time_rate"]) == "83.3"
    assert figures["rated"] == 3 and figures["satisfied"] == 2  # archived + basic
    assert str(figures["satisfaction_rate"]) == "66.7"
    assert figures["rehandled"] == 1
    assert figures["overdue"] == 0 and figures["escalated"] == 1


def test_a_committee_never_sees_another_county():
    w = make_world()
    other = w.users["other_committee"]
    with pytest.raises(Http404):
        place_for(other, {"region": COUNTY})
    with pytest.raises(Http404):
        place_for(other, {"station": str(w.station.pk)})
    with pytest.raises(Http404):
        place_for(w.users["liaison"], {"station": str(w.other_station.pk)})
    with pytest.raises(Http404):
        place_for(w.users["other_unit"], {"unit": str(w.unit.pk)})
    assert place_for(other, {}).region.code == "430181000000"


def test_a_write_recounts_its_station_day_after_commit(django_capture_on_commit_callbacks):
    w = make_world()
    with django_capture_on_commit_callbacks(execute=True):
        case = received(w)
    assert CaseDay.objects.get(station_id=w.station.pk).collected == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.case_withdraw(case_id=case.pk, actor=w.users["liaison"], reason="撤回")
    assert sum(CaseDay.objects.values_list("collected", flat=True)) == 1
    place = place_for(w.users["committee"], {})
    assert selectors.totals(place, month(WORKDAY.year, WORKDAY.month))["people"] == 1


def test_each_role_opens_its_own_dashboard(client, world):
    """The committee its county, the township committee its township, a liaison the
    station, unit staff the unit; a representative or a stranger gets nothing."""
    expected = {
        "committee": world.station.region.parent.name,
        "township_committee": "星沙街道",
        "liaison": world.station.name,
        "lead_unit": world.unit.name,
    }
    for role, name in expected.items():
        client.force_login(world.users[role])
        response = client.get("/staff/figures/")
        assert response.status_code == 200, role
        assert response.context["place"].name == name
    client.force_login(world.users["receiver"])
    assert client.get("/staff/figures/").status_code == 404
