"""Every suggestion deadline on the working-day calendar, frozen in time, around
the 2026 Mid-autumn and National Day holidays (2026-09-25..27 and 10-01..07, with
the make-up working Saturday 10-10)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from liaison.base.models import JurisdictionSettings
from suggestions.models import Suggestion
from suggestions.proposals import services
from suggestions.proposals.models import Rating, SuggestionCoUnit
from suggestions.proposals.models import SuggestionStep as S
from suggestions.shared.deadlines import explain
from tests.suggestion_world import filed, make_suggestion_world, rate_all, suggestion_at

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day):
    return time_machine.travel(dt.datetime(year, month, day, 10, tzinfo=SHANGHAI), tick=False)


def test_between_sessions_assignment_is_due_in_five_working_days_across_national_day():
    """Filed Tuesday 09-29: 09-30, 10-08, 10-09, the make-up Saturday 10-10, then 10-12."""
    w = make_suggestion_world()
    with at(2026, 9, 29):
        suggestion = filed(w)
    assert suggestion.deadline == dt.date(2026, 10, 12)
    explanation = suggestion.deadline_explanation
    assert (explanation["rule"], explanation["workdays"]) == ("suggestion_assign", 5)
    skipped = [day for day, _reason in explanation["skipped"]]
    assert skipped == [f"2026-10-0{d}" for d in range(1, 8)] + ["2026-10-11"]
    assert "2026-10-12" in explain(explanation)


def test_a_suggestion_filed_during_the_session_has_no_assignment_clock():
    """During the session suggestions are assigned together after it: no 5-day limit."""
    w = make_suggestion_world()
    with at(2026, 1, 10):
        suggestion = filed(w, session="session")
    assert suggestion.deadline is None and suggestion.deadline_explanation == {}


def test_a_late_assignment_is_recorded():
    """Assigning after the five working days is allowed and marked late in the history."""
    w = make_suggestion_world()
    with at(2026, 9, 29):
        suggestion = filed(w)
        services.suggestion_accept(suggestion_id=suggestion.pk, actor=w.users["committee"])
    with at(2026, 10, 13):
        services.suggestion_assign(
            suggestion_id=suggestion.pk, actor=w.users["committee"], lead_unit=w.unit
        )
    assert suggestion.events.get(kind="assign").data["assigned_late"] is True


def test_reply_in_three_months_and_co_units_in_one_land_on_working_days():
    """Assigned Wednesday 07-01: the reply is due 10-01, National Day, so 10-08; the
    co-unit's opinion 08-01, a Saturday, so Monday 08-03."""
    w = make_suggestion_world()
    with at(2026, 7, 1):
        suggestion = suggestion_at(w, S.ASSIGNED)
    assert suggestion.deadline == dt.date(2026, 10, 8)
    assert suggestion.deadline_explanation["months"] == 3
    assert [day for day, _r in suggestion.deadline_explanation["skipped"]] == [
        f"2026-10-0{d}" for d in range(1, 8)
    ]
    co_unit = SuggestionCoUnit.objects.get(suggestion=suggestion)
    assert co_unit.due == dt.date(2026, 8, 3)
    assert co_unit.due_explanation["rule"] == "suggestion_counit"


def test_first_reply_on_the_deadline_is_on_time_and_the_day_after_is_late():
    """On time means replied by the deadline day itself."""
    w = make_suggestion_world()
    with at(2026, 7, 1):
        early, late = suggestion_at(w, S.HANDLING), suggestion_at(w, S.HANDLING)
    with at(2026, 10, 8):
        services.suggestion_reply(
            suggestion_id=early.pk, actor=w.users["lead_unit"], category="A", text="好"
        )
    with at(2026, 10, 9):
        services.suggestion_reply(
            suggestion_id=late.pk, actor=w.users["lead_unit"], category="A", text="好"
        )
    assert Suggestion.objects.get(pk=early.pk).replied_on_time is True
    assert Suggestion.objects.get(pk=late.pk).replied_on_time is False


def test_approved_extension_is_six_months_after_assignment():
    """Assigned 04-01, extended: due 10-01, National Day, so 10-08, with the reason."""
    w = make_suggestion_world()
    with at(2026, 4, 1):
        suggestion = suggestion_at(w, S.HANDLING)
    assert suggestion.deadline == dt.date(2026, 7, 1)
    with at(2026, 6, 20):
        services.suggestion_request_extension(
            suggestion_id=suggestion.pk, actor=w.users["lead_unit"], reason="涉及多个部门"
        )
        services.suggestion_approve_extension(
            suggestion_id=suggestion.pk, actor=w.users["committee"]
        )
    suggestion.refresh_from_db()
    assert suggestion.deadline == dt.date(2026, 10, 8)
    assert suggestion.deadline_explanation["reason"] == "涉及多个部门"


def test_re_handling_is_due_in_the_jurisdictions_months():
    """Re-handling ordered 09-01: one month is 10-01, so 10-08; where the local rule
    gives two months it is 11-01, a Sunday, so Monday 11-02."""
    w = make_suggestion_world()
    with at(2026, 7, 1):
        one = suggestion_at(w, S.RATED, rating=Rating.UNSATISFIED)
        two = suggestion_at(w, S.RATED, rating=Rating.UNSATISFIED)
    with at(2026, 9, 1):
        services.suggestion_rehandle(suggestion_id=one.pk, actor=w.users["committee"], note="重办")
    JurisdictionSettings.objects.create(
        region_id=w.representative.region_id, suggestion_rehandle_months=2
    )
    with at(2026, 9, 1):
        services.suggestion_rehandle(suggestion_id=two.pk, actor=w.users["committee"], note="重办")
    assert Suggestion.objects.get(pk=one.pk).deadline == dt.date(2026, 10, 8)
    assert Suggestion.objects.get(pk=two.pk).deadline == dt.date(2026, 11, 2)


def test_sent_back_restarts_the_assignment_clock():
    """A misrouted suggestion sent back on 09-29 is to be reassigned by 10-12."""
    w = make_suggestion_world()
    with at(2026, 9, 1):
        suggestion = suggestion_at(w, S.ASSIGNED)
    with at(2026, 9, 29):
        services.suggestion_send_back(
            suggestion_id=suggestion.pk, actor=w.users["lead_unit"], reason="不属本单位"
        )
    suggestion.refresh_from_db()
    assert suggestion.deadline == dt.date(2026, 10, 12)


def test_follow_up_is_due_on_the_date_the_unit_gave():
    """Category B, expected to be solved by 2026-12-31: followed up to that date."""
    w = make_suggestion_world()
    with at(2026, 7, 1):
        suggestion = suggestion_at(w, S.HANDLING)
        services.suggestion_reply(
            suggestion_id=suggestion.pk,
            actor=w.users["lead_unit"],
            category="B",
            text="已列入计划",
            expected_by=dt.date(2026, 12, 31),
        )
        rate_all(w, suggestion, Rating.SATISFIED)
        services.suggestion_follow_up(suggestion_id=suggestion.pk, actor=w.users["committee"])
    suggestion.refresh_from_db()
    assert suggestion.deadline == dt.date(2026, 12, 31)
    assert "2026-12-31" in explain(suggestion.deadline_explanation)
