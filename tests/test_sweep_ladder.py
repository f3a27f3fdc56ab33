"""One sweep design for cases and suggestions: a stored ``next_sweep_on`` each sweep claims
by, one escalation ladder set per jurisdiction, one definition of "overdue"; all on a
frozen Asia/Shanghai clock."""

import copy
import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.base.models import JurisdictionSettings, WorkdayAdjustment
from liaison.base.notifications.models import Notification, NotificationKind
from liaison.celery import app
from liaison.wiring.recompute import derived_dates_refresh_around
from suggestions.cases import services as case_services
from suggestions.cases.sweeps import cases_escalate
from suggestions.models import Case, Step, Suggestion
from suggestions.proposals import services
from suggestions.proposals.models import SuggestionStep as S
from suggestions.proposals.sweeps import escalation_due, suggestion_deadlines_sweep
from tests.case_world import COUNTY, case_at, make_world, received
from tests.factories import committee_user, region
from tests.suggestion_world import make_suggestion_world, suggestion_at

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
CITY, PROVINCE = "430100000000", "430000000000"

# A suggestion in handling from Wednesday 2026-07-01 is due Thursday 10-08 (three months,
# the National Day week moves it to the next working day). Its ladder: reminded Monday
# 09-28 (3 working days before), level 1 Friday 10-09, level 2 five working days on,
# Thursday 10-15 (the make-up Saturday 10-10 counts), level 3 Thursday 10-22.
S_DEADLINE, S_DUE_SOON = dt.date(2026, 10, 8), dt.date(2026, 9, 28)
S_LEVELS = (dt.date(2026, 10, 9), dt.date(2026, 10, 15), dt.date(2026, 10, 22))
# A case referred Monday 11-02 for 5 working days is due 11-09: levels 11-10, 11-17, 11-24.
C_DEADLINE = dt.date(2026, 11, 9)
C_LEVELS = (dt.date(2026, 11, 10), dt.date(2026, 11, 17), dt.date(2026, 11, 24))


def at(date: dt.date, hour: int = 8, minute: int = 0):
    return time_machine.travel(
        dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A committed change in the embedded mode: the refresh task it schedules runs here."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield lambda: django_capture_on_commit_callbacks(execute=True)
    app.conf.task_always_eager = previous


def handling_suggestion(w, when: dt.date = dt.date(2026, 7, 1)) -> Suggestion:
    with at(when, 9):
        return suggestion_at(w, S.HANDLING)


def referred_case(world) -> Case:
    with at(dt.date(2026, 11, 2), 9):
        case = received(world)
        case_services.case_register(
            case_id=case.pk,
            actor=world.users["liaison"],
            category=world.category,
            authority="county",
        )
        case_services.case_refer_by_letter(
            case_id=case.pk, actor=world.users["committee"], unit=world.unit, workdays=5
        )
    return Case.objects.get(pk=case.pk)


def sweep_both_ladders(w) -> tuple[Case, Suggestion]:
    """A suggestion due 10-08 and a case due 11-09, both sweeps run on every level's day
    and long after."""
    suggestion = handling_suggestion(w)
    for day in S_LEVELS:
        with at(day):
            cases_escalate()
            suggestion_deadlines_sweep()
    case = referred_case(w.world)
    for day in (*C_LEVELS, dt.date(2026, 12, 31)):
        with at(day):
            cases_escalate()
            suggestion_deadlines_sweep()
    return case, suggestion


def levels_of(row) -> list[int]:
    return [e.data["level"] for e in row.events.filter(kind="escalate").order_by("id")]


def escalated_to(kind: str, user) -> set[str]:
    """The deadline:level keys of the escalation notices a user got."""
    rows = Notification.objects.filter(kind=kind, user=user)
    return {
        key.split(":")[3] + ":" + key.split(":")[4]
        for key in rows.values_list("dedupe_key", flat=True)
    }


# THE STORED DATE


def test_the_services_keep_a_suggestions_sweep_date_with_its_deadline():
    """Assignment sets the reminder day; an approved extension sets the new deadline's; a
    reply (no deadline) clears it."""
    w = make_suggestion_world()
    suggestion = handling_suggestion(w)
    assert (suggestion.deadline, suggestion.next_sweep_on) == (S_DEADLINE, S_DUE_SOON)
    # Assigned Monday 03-02: due Tuesday 06-02, reminded Thursday 05-28; extended, due six
    # months after assignment, Wednesday 09-02, reminded Friday 08-28.
    extended = handling_suggestion(w, dt.date(2026, 3, 2))
    assert (extended.deadline, extended.next_sweep_on) == (
        dt.date(2026, 6, 2),
        dt.date(2026, 5, 28),
    )
    with at(dt.date(2026, 3, 3), 10):
        services.suggestion_request_extension(
            suggestion_id=extended.pk, actor=w.users["lead_unit"], reason="需跨部门协调"
        )
        services.suggestion_approve_extension(suggestion_id=extended.pk, actor=w.users["committee"])
    extended.refresh_from_db()
    assert (extended.deadline, extended.next_sweep_on) == (
        dt.date(2026, 9, 2),
        dt.date(2026, 8, 28),
    )
    with at(dt.date(2026, 7, 3), 10):
        replied = suggestion_at(w, S.REPLIED)
    assert (replied.deadline, replied.next_sweep_on) == (None, None)


def test_the_suggestion_sweep_reads_only_the_rows_whose_date_has_come():
    """Each claim is a range over ``next_sweep_on``: a suggestion whose date is still ahead is
    never locked or read, even with a deadline that says it is overdue; a quiet day claims
    nothing; after the ladder's top the suggestion leaves the index (no date)."""
    w = make_suggestion_world()
    due = handling_suggestion(w)
    later = handling_suggestion(w, dt.date(2026, 8, 3))
    assert later.next_sweep_on > S_LEVELS[0]
    # Its deadline rewritten behind the sweep's back: only the stored date counts.
    Suggestion.objects.filter(pk=later.pk).update(deadline=dt.date(2026, 9, 1))
    with at(S_LEVELS[0]), CaptureQueriesContext(connection) as queries:
        report = suggestion_deadlines_sweep()
    assert (report.reminded, report.escalated) == (0, 1)
    on_suggestions = [
        q["sql"]
        for q in queries
        if 'FROM "suggestions_suggestion"' in q["sql"]
        and '"suggestions_suggestion"."next_sweep_on" <=' in q["sql"]
    ]
    # Reminders: one empty claim; levels: one claim, then an empty one. Each locks what it
    # reads where the database can (SQLite has no FOR UPDATE: it locks the whole file).
    assert len(on_suggestions) == 3
    if connection.features.has_select_for_update:
        assert all("FOR UPDATE" in sql for sql in on_suggestions)
    assert levels_of(due) == [1] and levels_of(later) == []
    swept = (NotificationKind.SUGGESTION_DUE_SOON, NotificationKind.SUGGESTION_OVERDUE)
    assert not Notification.objects.filter(subject_id=later.pk, kind__in=swept).exists()

    for quiet in (dt.date(2026, 10, 12), dt.date(2026, 10, 14)):
        with at(quiet):
            assert suggestion_deadlines_sweep().escalated == 0
    with at(S_LEVELS[1]):
        assert suggestion_deadlines_sweep().escalated == 1
    due.refresh_from_db()
    assert (due.escalation_level, due.next_sweep_on) == (2, None)  # the default ladder: 2


def test_the_claim_is_a_range_scan_of_the_partial_index(postgres):
    """Among thousands of open overdue suggestions the sweep is done with (no date), EXPLAIN
    of the escalation claim reads ``sugg_next_sweep_idx``, not the open deadlines."""
    w = make_suggestion_world()
    model = handling_suggestion(w)
    done = []
    for sequence in range(1000, 4000):
        row = copy.copy(model)
        row.pk, row.sequence, row.number = None, sequence, f"2026-{sequence}"
        row.deadline, row.next_sweep_on = dt.date(2026, 3, 2), None
        done.append(row)
    Suggestion.objects.bulk_create(done, batch_size=1000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE suggestions_suggestion")
    today = S_LEVELS[0]
    claim = (
        escalation_due(today)
        .filter(next_sweep_on__lte=today)
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("next_sweep_on", "id")[:200]
    )
    plan = claim.explain()
    assert "sugg_next_sweep_idx" in plan, plan


def test_a_stopped_scheduler_gets_every_level_owed_in_order():
    """Nothing ran for weeks: the first sweep skips the reminder that no longer helps and
    gives levels 1 and 2, in order, each once, as the case sweep does."""
    w = make_suggestion_world()
    suggestion = handling_suggestion(w)
    with at(dt.date(2026, 10, 20)):
        report = suggestion_deadlines_sweep()
        assert (report.reminded, report.escalated) == (0, 1)
        assert suggestion_deadlines_sweep().escalated == 0
    assert levels_of(suggestion) == [1, 2]
    assert not Notification.objects.filter(kind=NotificationKind.SUGGESTION_DUE_SOON).exists()
    assert escalated_to(NotificationKind.SUGGESTION_OVERDUE, w.users["committee"]) == {
        "d20261008:l1",
        "d20261008:l2",
    }


def test_a_weekend_after_the_deadline_waits_for_the_first_working_day():
    """Due Friday 10-16 (assigned 07-16), the reminder missed: the sweeps on Saturday and
    Sunday do nothing, level 1 comes Monday 10-19, for cases and suggestions alike."""
    w = make_suggestion_world()
    suggestion = handling_suggestion(w, dt.date(2026, 7, 16))
    assert suggestion.deadline == dt.date(2026, 10, 16)
    for weekend in (dt.date(2026, 10, 17), dt.date(2026, 10, 18)):
        with at(weekend):
            assert suggestion_deadlines_sweep().escalated == 0
    suggestion.refresh_from_db()
    assert (suggestion.escalation_level, suggestion.next_sweep_on) == (0, dt.date(2026, 10, 19))
    with at(dt.date(2026, 10, 19)):
        assert suggestion_deadlines_sweep().escalated == 1


# THE LADDER: ONE SETTING FOR BOTH FLOWS


def test_the_default_ladder_stops_both_flows_at_level_two():
    """``escalation_levels`` 2: the case and the suggestion each reach level 2 and are never
    swept again for that deadline."""
    w = make_suggestion_world()
    assert JurisdictionSettings().escalation_levels == 2
    case, suggestion = sweep_both_ladders(w)
    case.refresh_from_db()
    suggestion.refresh_from_db()
    assert (case.escalation_level, case.next_sweep_on, levels_of(case)) == (2, None, [1, 2])
    assert (suggestion.escalation_level, suggestion.next_sweep_on) == (2, None)
    assert levels_of(suggestion) == [1, 2]


@pytest.mark.parametrize("levels", [1, 3])
def test_the_jurisdictions_ladder_sets_how_far_both_flows_escalate(levels):
    """长沙县 sets the ladder to 1 or 3 levels: its case and its suggestion both stop there.
    A case's level 3 tells the province's committee; a suggestion's every level tells the
    unit and the committees of the congress and above."""
    w = make_suggestion_world()
    world = w.world
    city, province = committee_user(CITY), committee_user(PROVINCE)
    JurisdictionSettings.objects.create(region=region(COUNTY), escalation_levels=levels)
    case, suggestion = sweep_both_ladders(w)
    case.refresh_from_db()
    suggestion.refresh_from_db()
    expected = list(range(1, levels + 1))
    assert (case.escalation_level, case.next_sweep_on, levels_of(case)) == (levels, None, expected)
    assert (suggestion.escalation_level, suggestion.next_sweep_on) == (levels, None)
    assert levels_of(suggestion) == expected
    case_levels = {
        user: escalated_to(NotificationKind.CASE_ESCALATED, user)
        for user in (world.users["committee"], city, province)
    }
    assert case_levels == {
        world.users["committee"]: {f"{C_DEADLINE}:L1"},
        city: {f"{C_DEADLINE}:L2"} if levels > 1 else set(),
        province: {f"{C_DEADLINE}:L3"} if levels > 2 else set(),
    }
    on_province = escalated_to(NotificationKind.SUGGESTION_OVERDUE, province)
    assert on_province == {f"d20261008:l{level}" for level in expected}


def test_the_ladder_fits_the_committees_supervision_scale():
    """The sweeps' ladder may not go past the scale a committee supervises by hand with:
    both write the same escalation level."""
    field = JurisdictionSettings._meta.get_field("escalation_levels")
    top = max(v.limit_value for v in field.validators if hasattr(v, "limit_value"))
    assert top <= case_services.MAX_ESCALATION_LEVEL


# RECOMPUTED AFTER THE CALENDAR OR THE RULES CHANGE


def test_a_holiday_entered_later_moves_the_suggestions_sweep_dates(committed):
    """Level 1 fired 10-09; Tuesday 10-13 then becomes a local day off: level 2 moves from
    10-15 to 10-16, the deadline stays, nothing is written in the history; the sweep of
    10-15 does nothing and the one of 10-16 raises level 2."""
    w = make_suggestion_world()
    suggestion = handling_suggestion(w)
    with at(S_LEVELS[0]):
        assert suggestion_deadlines_sweep().escalated == 1
    before = Suggestion.objects.get(pk=suggestion.pk)
    assert before.next_sweep_on == S_LEVELS[1]
    events = suggestion.events.count()
    with at(S_LEVELS[0], 10), committed():
        WorkdayAdjustment.objects.create(
            date=dt.date(2026, 10, 13), is_workday=False, name="地方节日"
        )
    after = Suggestion.objects.get(pk=suggestion.pk)
    assert after.next_sweep_on == dt.date(2026, 10, 16)
    assert (after.deadline, after.deadline_explanation, after.escalation_level) == (
        before.deadline,
        before.deadline_explanation,
        1,
    )
    assert (after.updated_at, suggestion.events.count()) == (before.updated_at, events)
    with at(S_LEVELS[0], 11):
        report = derived_dates_refresh_around(days=[dt.date(2026, 10, 13)])
    assert report.suggestion_sweep_dates == 0  # counted already: nothing changes again
    with at(S_LEVELS[1]):
        assert suggestion_deadlines_sweep().escalated == 0
    with at(dt.date(2026, 10, 16)):
        assert suggestion_deadlines_sweep().escalated == 1


def test_a_longer_ladder_gives_an_exhausted_suggestion_its_next_level(committed):
    """At the default top (level 2) a suggestion has no sweep date; 长沙县 then sets 3 levels:
    its level 3 date appears, counted from the same deadline."""
    w = make_suggestion_world()
    suggestion = handling_suggestion(w)
    with at(S_LEVELS[1]):
        suggestion_deadlines_sweep()
    suggestion.refresh_from_db()
    assert (suggestion.escalation_level, suggestion.next_sweep_on) == (2, None)
    with at(S_LEVELS[1], 10), committed():
        JurisdictionSettings.objects.create(region=region(COUNTY), escalation_levels=3)
    suggestion.refresh_from_db()
    assert suggestion.next_sweep_on == S_LEVELS[2]


def test_the_command_counts_suggestions_sweep_dates_again(capsys):
    """After a bulk import that sent no signal, ``refresh_derived_dates`` catches up."""
    w = make_suggestion_world()
    suggestion = handling_suggestion(w)
    WorkdayAdjustment.objects.bulk_create(
        [WorkdayAdjustment(date=dt.date(2026, 9, 29), is_workday=False, name="地方节日")]
    )
    with at(dt.date(2026, 9, 1)):
        call_command("refresh_derived_dates", "--date", "2026-09-29")
        assert "suggestion sweep dates 1" in capsys.readouterr().out
        call_command("refresh_derived_dates")
        assert "suggestion sweep dates 0" in capsys.readouterr().out
    # Tuesday 09-29 off: three working days before 10-08 are 09-30, 09-28 and (Mid-autumn
    # Friday 09-25 off too) Thursday 09-24.
    suggestion.refresh_from_db()
    assert suggestion.next_sweep_on == dt.date(2026, 9, 24)


def test_the_migration_gives_open_suggestions_their_sweep_date():
    """Suggestions from before the stored date: the data migration counts each open one's
    date from what the old sweep had done for its deadline, and leaves closed ones without."""
    migration = importlib.import_module("suggestions.migrations.0012_open_suggestions_sweep_date")
    w = make_suggestion_world()
    fresh = handling_suggestion(w)
    reminded = handling_suggestion(w)
    escalated = handling_suggestion(w)
    with at(dt.date(2026, 7, 1), 10):
        replied = suggestion_at(w, S.REPLIED)
    Suggestion.objects.filter(pk=reminded.pk).update(reminded_for=S_DEADLINE)
    Suggestion.objects.filter(pk=escalated.pk).update(
        reminded_for=S_DEADLINE, escalated_for=S_DEADLINE, escalation_level=1
    )
    Suggestion.objects.update(next_sweep_on=None)
    migration.schedule_open_suggestions(django_apps, None)
    dates = dict(Suggestion.objects.values_list("pk", "next_sweep_on"))
    assert [dates[s.pk] for s in (fresh, reminded, escalated, replied)] == [
        S_DUE_SOON,
        S_LEVELS[0],
        S_LEVELS[1],
        None,
    ]


# OVERDUE: ONE RULE


@pytest.mark.parametrize("flow", ["case", "suggestion"])
def test_is_overdue_and_overdue_agree(flow):
    """Open with a deadline before today (the Asia/Shanghai date), in Python and in SQL: at
    00:30 on 11-10 in Shanghai (still 11-09 in UTC) a deadline of 11-09 is overdue, one of
    today is not, a closed row or one without a deadline never is."""
    if flow == "case":
        world = make_world()
        with at(dt.date(2026, 11, 2), 9):
            rows = [case_at(world, Step.HANDLING) for _ in range(3)]
            rows += [case_at(world, Step.ARCHIVED), case_at(world, Step.REPLIED)]
        model = Case
    else:
        w = make_suggestion_world()
        with at(dt.date(2026, 7, 1), 9):
            rows = [suggestion_at(w, S.HANDLING) for _ in range(3)]
            rows += [suggestion_at(w, S.CLOSED), suggestion_at(w, S.REPLIED)]
        model = Suggestion
    deadlines = [dt.date(2026, 11, 9), dt.date(2026, 11, 10), dt.date(2026, 11, 20)]
    deadlines += [dt.date(2026, 11, 1), None]  # closed with a past deadline; none at all
    for row, deadline in zip(rows, deadlines, strict=True):
        model.objects.filter(pk=row.pk).update(deadline=deadline)
    with at(dt.date(2026, 11, 10), 0, 30):
        loaded = list(model.objects.filter(pk__in=[r.pk for r in rows]).order_by("pk"))
        in_python = {row.pk for row in loaded if row.is_overdue()}
        in_sql = set(model.objects.overdue().values_list("pk", flat=True))
        not_in_sql = set(model.objects.not_overdue().values_list("pk", flat=True))
    assert in_python == in_sql == {rows[0].pk}
    assert not_in_sql == {row.pk for row in rows} - in_sql
    later = dt.date(2026, 11, 21)
    assert (
        {row.pk for row in loaded if row.is_overdue(later)}
        == set(model.objects.overdue(later).values_list("pk", flat=True))
        == {row.pk for row in rows[:3]}
    )
