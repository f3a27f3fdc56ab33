"""The daily suggestion sweep, frozen in time around the 2026 National Day week."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from liaison.base.notifications.models import Notification
from liaison.celery import SWEEPS
from suggestions.models import Suggestion
from suggestions.proposals.models import SuggestionStep as S
from suggestions.proposals.sweeps import suggestion_deadlines_sweep
from tests.suggestion_world import filed, make_suggestion_world, suggestion_at

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day):
    return time_machine.travel(dt.datetime(year, month, day, 7, 45, tzinfo=SHANGHAI), tick=False)


def rows(kind):
    return Notification.objects.filter(kind=kind)


def test_due_soon_counts_working_days_across_the_holidays():
    """Reply due 10-08. On 09-25 (Mid-autumn) three working days reach 09-30: no
    reminder. On 09-28 they reach 10-08 over National Day: the lead unit is reminded,
    once, however often the sweep runs."""
    w = make_suggestion_world()
    with at(2026, 7, 1):
        suggestion = suggestion_at(w, S.HANDLING)
    with at(2026, 9, 25):
        assert suggestion_deadlines_sweep().reminded == 0
    with at(2026, 9, 28):
        assert suggestion_deadlines_sweep().reminded == 1
        assert suggestion_deadlines_sweep().reminded == 0
    sent = rows("suggestion_due_soon")
    assert {n.user for n in sent if n.channel == "in_app"} == {w.users["lead_unit"]}
    assert sent.count() == 1
    assert Suggestion.objects.get(pk=suggestion.pk).reminded_for == dt.date(2026, 10, 8)


def test_overdue_escalates_once_per_level():
    """Due 10-08 and not replied: on 10-09 level 1 to the unit and the county
    committee; on 10-14 still level 1 (five working days back is 10-08); on 10-15
    level 2; each rise once, each an event without an actor."""
    w = make_suggestion_world()
    with at(2026, 7, 1):
        suggestion = suggestion_at(w, S.HANDLING)
    with at(2026, 10, 8):
        assert suggestion_deadlines_sweep().escalated == 0
    with at(2026, 10, 9):
        assert suggestion_deadlines_sweep().escalated == 1
        assert suggestion_deadlines_sweep().escalated == 0
    recipients = {n.user for n in rows("suggestion_overdue") if n.user}
    assert recipients == {w.users["lead_unit"], w.users["committee"]}
    with at(2026, 10, 14):
        assert suggestion_deadlines_sweep().escalated == 0
    with at(2026, 10, 15):
        assert suggestion_deadlines_sweep().escalated == 1
        assert suggestion_deadlines_sweep().escalated == 0
    suggestion.refresh_from_db()
    assert suggestion.escalation_level == 2
    events = list(suggestion.events.filter(kind="escalate").values_list("data", "actor"))
    assert events == [
        ({"deadline": "2026-10-08", "level": 1}, None),
        ({"deadline": "2026-10-08", "level": 2}, None),
    ]
    # The township committee is not over the county's congress and hears nothing.
    assert not rows("suggestion_overdue").filter(user=w.users["township_committee"]).exists()


def test_assignment_overdue_goes_to_the_committee():
    """Filed 09-29 between sessions, due for assignment 10-12: due-soon and overdue
    notices go to the committee, there being no unit yet."""
    w = make_suggestion_world()
    with at(2026, 9, 29):
        filed(w)
    with at(2026, 10, 8):
        assert suggestion_deadlines_sweep().reminded == 1
    with at(2026, 10, 13):
        assert suggestion_deadlines_sweep().escalated == 1
    users = {n.user for n in Notification.objects.filter(kind__startswith="suggestion_")}
    assert users == {w.users["committee"]}


def test_a_new_deadline_starts_reminders_afresh():
    """After an approved extension the new deadline is reminded and escalated again."""
    from suggestions.proposals import services

    w = make_suggestion_world()
    with at(2026, 4, 1):
        suggestion = suggestion_at(w, S.HANDLING)
    with at(2026, 7, 2):
        assert suggestion_deadlines_sweep().escalated == 1
        services.suggestion_request_extension(
            suggestion_id=suggestion.pk, actor=w.users["lead_unit"], reason="需跨部门协调"
        )
        services.suggestion_approve_extension(
            suggestion_id=suggestion.pk, actor=w.users["committee"]
        )
    with at(2026, 10, 9):
        assert suggestion_deadlines_sweep().escalated == 1


def test_co_unit_opinion_overdue_reminds_the_co_unit_and_tells_the_lead_unit():
    """Opinion due 08-03: nothing that day; on 08-04 both units hear, once; an opinion
    already sent is never chased."""
    w = make_suggestion_world()
    with at(2026, 7, 1):
        suggestion_at(w, S.HANDLING)
        answered = suggestion_at(w, S.HANDLING)
    from suggestions.proposals import services

    with at(2026, 7, 20):
        services.suggestion_counit_opinion(
            suggestion_id=answered.pk, actor=w.users["co_unit"], opinion="同意"
        )
    with at(2026, 8, 3):
        assert suggestion_deadlines_sweep().co_units_reminded == 0
    with at(2026, 8, 4):
        assert suggestion_deadlines_sweep().co_units_reminded == 1
        assert suggestion_deadlines_sweep().co_units_reminded == 0
    users = {n.user for n in rows("suggestion_counit_due") if n.user}
    assert users == {w.users["co_unit"], w.users["lead_unit"]}


def test_replied_and_closed_suggestions_are_left_alone():
    """Only open suggestions with a running clock are swept."""
    w = make_suggestion_world()
    with at(2026, 7, 1):
        suggestion_at(w, S.REPLIED)
        suggestion_at(w, S.CLOSED)
    with at(2026, 10, 20):
        report = suggestion_deadlines_sweep()
    assert (report.reminded, report.escalated) == (0, 0)


def test_the_sweep_is_scheduled_and_run_by_run_sweeps(capsys):
    """The Celery schedule holds the sweep and `manage.py run_sweeps` runs it."""
    assert SWEEPS["suggestion-deadlines"]["task"] == (
        "suggestions.proposals.tasks.sweep_suggestion_deadlines"
    )
    w = make_suggestion_world()
    with at(2026, 7, 1):
        suggestion_at(w, S.HANDLING)
    with at(2026, 10, 9):
        call_command("run_sweeps")
    assert "suggestion-deadlines: reminded 0, escalated 1" in capsys.readouterr().out


def test_the_sweep_writes_its_notices_in_the_site_language():
    """Chinese by default, whatever the language of the process that runs the sweep."""
    w = make_suggestion_world()
    with at(2026, 7, 1):
        suggestion_at(w, S.HANDLING)
    with at(2026, 10, 9):
        suggestion_deadlines_sweep()
    titles = set(rows("suggestion_overdue").values_list("title", flat=True))
    assert titles and all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in titles), titles
