"""The daily case sweeps on a frozen clock: unregistered flag, due-soon reminder, overdue
escalation (level 1, level 2), each once per deadline, and catch-up after a stopped scheduler."""

import datetime as dt
import importlib
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core import mail
from django.db import connections

from liaison.base import tasks
from liaison.base.notifications.delivery import notifications_deliver
from liaison.base.notifications.models import Channel, Notification, NotificationKind
from stations.models import VisitChannel
from suggestions.cases import services, sweeps
from suggestions.cases.sweeps import (
    cases_due_soon_remind,
    cases_escalate,
    cases_unassigned_flag,
    cases_unregistered_flag,
    escalation_helpers,
)
from suggestions.cases.tasks import escalate_overdue_cases
from suggestions.models import Case, CaseEvent, Step
from tests.case_world import make_world, received
from tests.factories import committee_user
from tests.reception_factories import published_day, staffed_station

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
ASSIGNED = dt.date(2026, 11, 2)  # Monday
DEADLINE = dt.date(2026, 11, 9)  # 5 working days later
DUE_SOON = dt.date(2026, 11, 4)  # 3 working days before the deadline
LEVEL_ONE = dt.date(2026, 11, 10)  # the first working day after it
LEVEL_TWO = dt.date(2026, 11, 17)  # 5 working days after level 1
CITY = "430100000000"


def on(date: dt.date, hour: int = 8):
    return time_machine.travel(
        dt.datetime(date.year, date.month, date.day, hour, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture
def world():
    world = make_world()
    world.users["city_committee"] = committee_user(CITY, email="city@example.org")
    world.users["committee"].email = "county@example.org"
    world.users["committee"].save()
    world.unit.contact_phone = "0731-84012345"
    world.unit.save()
    return world


def assigned_case(world, when: dt.date = ASSIGNED) -> Case:
    """Received, registered and referred by letter on ``when`` (Monday 2026-11-02), due in
    5 working days."""
    with on(when, 9):
        case = received(world)
        services.case_register(
            case_id=case.pk,
            actor=world.users["liaison"],
            category=world.category,
            authority="township",
        )
        services.case_refer_by_letter(
            case_id=case.pk,
            actor=world.users["committee"],
            unit=world.unit,
            co_units=[world.co_unit],
            workdays=5,
        )
    return Case.objects.get(pk=case.pk)


def notices(kind: str, **filters):
    return Notification.objects.filter(kind=kind, **filters)


def recipients(kind: str) -> set[str]:
    return set(notices(kind).values_list("recipient_key", flat=True))


def user_key(user) -> str:
    return f"user:{user.pk}"


def test_the_dates_follow_the_working_day_calendar(world):
    """Deadline 11-09; reminded 11-04; level 1 on 11-10; level 2 five working days on, 11-17."""
    case = assigned_case(world)
    assert (case.deadline, case.next_sweep_on, case.escalation_level) == (DEADLINE, DUE_SOON, 0)


def test_each_escalation_level_fires_exactly_once_per_deadline(world):
    """Level 1 the day after the deadline (unit and county committee, case to supervising),
    level 2 five working days later (the city committee); sweeps in between do nothing."""
    case = assigned_case(world)
    with on(DEADLINE):
        assert cases_escalate() == 0
    with on(LEVEL_ONE):
        assert cases_escalate() == 1
        assert cases_escalate() == 0
    case.refresh_from_db()
    assert (case.step, case.escalation_level, case.escalated_deadline) == (
        Step.SUPERVISING,
        1,
        DEADLINE,
    )
    assert recipients(NotificationKind.CASE_ESCALATED) == {
        user_key(world.users["lead_unit"]),
        f"unit:{world.unit.pk}",
        user_key(world.users["committee"]),
    }
    level_one_rows = notices(NotificationKind.CASE_ESCALATED).count()
    for quiet in (dt.date(2026, 11, 11), dt.date(2026, 11, 16)):
        with on(quiet):
            assert cases_escalate() == 0
    with on(LEVEL_TWO):
        assert cases_escalate() == 1
    with on(dt.date(2026, 11, 20)):
        assert cases_escalate() == 0
    case.refresh_from_db()
    assert (case.escalation_level, case.next_sweep_on) == (2, None)
    level_two = notices(NotificationKind.CASE_ESCALATED).exclude(
        recipient_key__in=[
            user_key(world.users["lead_unit"]),
            f"unit:{world.unit.pk}",
            user_key(world.users["committee"]),
        ]
    )
    assert set(level_two.values_list("recipient_key", flat=True)) == {
        user_key(world.users["city_committee"])
    }
    assert notices(NotificationKind.CASE_ESCALATED).count() == level_one_rows + 2  # in-app, email
    events = list(case.events.filter(kind="escalate").order_by("id"))
    assert [(e.data["level"], e.from_step, e.to_step, e.actor) for e in events] == [
        (1, Step.HANDLING, Step.SUPERVISING, None),
        (2, Step.SUPERVISING, Step.SUPERVISING, None),
    ]


def test_an_approved_extension_starts_over(world):
    """After level 1, an approved extension resets the level; the old deadline's level 2
    never fires, and the new deadline escalates from level 1 again."""
    case = assigned_case(world)
    with on(LEVEL_ONE):
        cases_escalate()
        services.case_request_extension(
            case_id=case.pk,
            actor=world.users["lead_unit"],
            until=dt.date(2026, 11, 30),
            reason="需要招标采购路灯",
        )
        services.case_approve_extension(case_id=case.pk, actor=world.users["committee"])
    case.refresh_from_db()
    assert (case.deadline, case.escalation_level, case.step) == (
        dt.date(2026, 11, 30),
        0,
        Step.SUPERVISING,
    )
    assert case.next_sweep_on == dt.date(2026, 11, 25)  # due-soon for the new deadline
    with on(LEVEL_TWO):
        assert cases_escalate() == 0
    with on(dt.date(2026, 11, 25)):
        assert cases_due_soon_remind() == 1
    with on(dt.date(2026, 12, 1)):
        assert cases_escalate() == 1
    case.refresh_from_db()
    assert (case.escalation_level, case.escalated_deadline) == (1, dt.date(2026, 11, 30))
    levels = list(case.events.filter(kind="escalate").values_list("data", flat=True))
    assert [(d["level"], d["deadline"]) for d in levels] == [
        (1, "2026-11-09"),
        (1, "2026-11-30"),
    ]


def test_due_soon_reminds_the_lead_unit_once(world):
    """Inside the 3-working-day window the lead unit (staff and contact phone) is reminded
    once; the co-unit and the committee are not."""
    case = assigned_case(world)
    with on(dt.date(2026, 11, 3)):
        assert cases_due_soon_remind() == 0
    with on(DUE_SOON):
        assert cases_due_soon_remind() == 1
        assert cases_due_soon_remind() == 0
    with on(dt.date(2026, 11, 5)):
        assert cases_due_soon_remind() == 0
    assert recipients(NotificationKind.CASE_DUE_SOON) == {
        user_key(world.users["lead_unit"]),
        f"unit:{world.unit.pk}",
    }
    case.refresh_from_db()
    assert case.next_sweep_on == LEVEL_ONE
    assert case.events.filter(kind="remind_due_soon", actor=None).count() == 1


@pytest.fixture
def reception_case(world):
    """Two cases raised on Thursday 2026-10-15's reception day; one is registered next day."""
    station, reps = staffed_station("official", station=world.station)
    day = published_day(station, reps, dt.date(2026, 10, 15))
    with on(dt.date(2026, 10, 15), 10):
        visit = services.visit_record(
            actor=world.users["liaison"],
            station=world.station,
            channel=VisitChannel.RECEPTION_DAY,
            visited_at=dt.datetime(2026, 10, 15, 10, tzinfo=SHANGHAI),
            constituent_name="李四",
            constituent_phone="13900001111",
            reception_day=day,
            cases=[
                {"title": "村道破损", "description": "村道坑洼积水。"},
                {"title": "垃圾清运", "description": "垃圾站清运不及时。"},
            ],
        )
    first, second = visit.cases.order_by("id")
    with on(dt.date(2026, 10, 16), 10):
        services.case_register(
            case_id=second.pk,
            actor=world.users["liaison"],
            category=world.category,
            authority="township",
        )
    return first


def test_a_case_unregistered_two_working_days_after_the_reception_day_is_flagged_once(
    world, reception_case
):
    """Registration was due Monday 10-19 (2 working days after Thursday 10-15): on Tuesday
    the station's liaison and the township and county committees hear of it, once; the
    registered case of the same day is not flagged."""
    assert reception_case.deadline == dt.date(2026, 10, 19)
    with on(dt.date(2026, 10, 19)):
        assert cases_unregistered_flag() == 0
    with on(dt.date(2026, 10, 20)):
        assert cases_unregistered_flag() == 1
        assert cases_unregistered_flag() == 0
    with on(dt.date(2026, 10, 28)):
        assert cases_unregistered_flag() == 0
    assert recipients(NotificationKind.CASE_UNREGISTERED) == {
        user_key(world.users["liaison"]),
        user_key(world.users["township_committee"]),
        user_key(world.users["committee"]),
    }
    assert set(
        notices(NotificationKind.CASE_UNREGISTERED).values_list("subject_id", flat=True)
    ) == {reception_case.pk}
    event = reception_case.events.get(kind="flag_unregistered")
    assert (event.actor, event.from_step, event.to_step) == (None, Step.RECEIVED, Step.RECEIVED)


def test_registering_after_the_flag_starts_the_case_over(world, reception_case):
    """Registered late, the case gets its disposition deadline (Friday 10-23, 2 working
    days on) and no escalation level; the disposition flag is due the next working day."""
    with on(dt.date(2026, 10, 20)):
        cases_unregistered_flag()
    with on(dt.date(2026, 10, 21), 10):
        services.case_register(
            case_id=reception_case.pk,
            actor=world.users["committee"],
            category=world.category,
            authority="county",
        )
    reception_case.refresh_from_db()
    assert (reception_case.deadline, reception_case.escalation_level) == (dt.date(2026, 10, 23), 0)
    assert reception_case.next_sweep_on == dt.date(2026, 10, 26)


def test_a_registered_case_not_assigned_by_its_disposition_deadline_is_flagged_once(
    world, reception_case
):
    """The second case of 10-15 was registered Friday 10-16: sorting and assignment were due
    Tuesday 10-20 (2 working days). On Wednesday the township and county committees hear of
    it, once; the station's liaisons, the units and the unregistered case are left out."""
    registered = Case.objects.get(visit=reception_case.visit, step=Step.REGISTERED)
    assert (registered.deadline, registered.next_sweep_on) == (
        dt.date(2026, 10, 20),
        dt.date(2026, 10, 21),
    )
    with on(dt.date(2026, 10, 20)):
        assert cases_unassigned_flag() == 0
    with on(dt.date(2026, 10, 21)):
        assert cases_unassigned_flag() == 1
        assert cases_unassigned_flag() == 0
    with on(dt.date(2026, 10, 30)):
        assert cases_unassigned_flag() == 0
    assert recipients(NotificationKind.CASE_UNASSIGNED) == {
        user_key(world.users["township_committee"]),
        user_key(world.users["committee"]),
    }
    assert set(notices(NotificationKind.CASE_UNASSIGNED).values_list("subject_id", flat=True)) == {
        registered.pk
    }
    keys = notices(NotificationKind.CASE_UNASSIGNED).values_list("dedupe_key", flat=True)
    assert all(f":{registered.pk}:disposition:2026-10-20:" in key for key in keys)  # per deadline
    event = registered.events.get(kind="flag_unassigned")
    assert (event.actor, event.from_step, event.to_step) == (None, Step.REGISTERED, Step.REGISTERED)
    assert event.note == f"案件 {registered.tracking_code} 已登记但尚未交办"  # the site's language
    registered.refresh_from_db()
    assert (registered.escalation_level, registered.escalated_deadline) == (1, registered.deadline)
    assert registered.next_sweep_on is None
    assert not notices(NotificationKind.CASE_UNREGISTERED).exists()  # its own sweep's job


def test_assigning_after_the_disposition_flag_starts_the_unit_clock(world, reception_case):
    """Flagged, then referred: level 0 again, the unit's reply deadline and its reminder date;
    the flag sweep never sees the case again."""
    registered = Case.objects.get(visit=reception_case.visit, step=Step.REGISTERED)
    with on(dt.date(2026, 10, 21)):
        assert cases_unassigned_flag() == 1
    with on(dt.date(2026, 10, 22), 10):
        services.case_refer_by_letter(
            case_id=registered.pk, actor=world.users["committee"], unit=world.unit, workdays=5
        )
    registered.refresh_from_db()
    assert (registered.step, registered.deadline, registered.escalation_level) == (
        Step.HANDLING,
        dt.date(2026, 10, 29),
        0,
    )
    assert registered.next_sweep_on == dt.date(2026, 10, 26)  # due soon, 3 working days before
    with on(dt.date(2026, 11, 2)):
        assert cases_unassigned_flag() == 0


def test_two_sweeps_in_a_row_send_nothing_twice(world, reception_case):
    """Every sweep and the delivery run twice on a day when all are due: each message once."""
    overdue = assigned_case(world)
    assigned_case(world, dt.date(2026, 11, 16))  # due Monday 11-23
    sweeps = (cases_unregistered_flag, cases_unassigned_flag, cases_due_soon_remind, cases_escalate)
    with on(dt.date(2026, 11, 20)):
        first = [sweep() for sweep in sweeps]
        notifications_deliver(limit=1000)
        rows, sent_mail = Notification.objects.count(), len(mail.outbox)
        events = CaseEvent.objects.count()
        second = [sweep() for sweep in sweeps]
        notifications_deliver(limit=1000)
    assert first == [1, 1, 1, 1] and second == [0, 0, 0, 0]
    assert (Notification.objects.count(), len(mail.outbox), CaseEvent.objects.count()) == (
        rows,
        sent_mail,
        events,
    )
    assert not Notification.objects.filter(status="pending").exists()
    overdue.refresh_from_db()
    assert overdue.escalation_level == 2


def test_a_sweep_catches_up_what_a_stopped_scheduler_missed(world, reception_case):
    """Nothing ran for weeks: the first sweep flags the unregistered case, skips the
    reminder that no longer helps, and raises the overdue case through level 1 and level 2
    in order, each once."""
    case = assigned_case(world)
    with on(dt.date(2026, 11, 25)):
        assert cases_due_soon_remind() == 0
        assert cases_unregistered_flag() == 1
        assert cases_escalate() == 1
        assert (cases_unregistered_flag(), cases_escalate()) == (0, 0)
    case.refresh_from_db()
    assert (case.step, case.escalation_level, case.next_sweep_on) == (Step.SUPERVISING, 2, None)
    assert [e.data["level"] for e in case.events.filter(kind="escalate").order_by("id")] == [1, 2]
    assert not notices(NotificationKind.CASE_DUE_SOON).exists()
    assert user_key(world.users["city_committee"]) in recipients(NotificationKind.CASE_ESCALATED)


def test_closed_and_replied_cases_are_never_swept(world):
    """A case replied before its deadline leaves the sweeps: no reminder, no escalation."""
    case = assigned_case(world)
    with on(dt.date(2026, 11, 3), 10):
        services.case_reply(
            case_id=case.pk,
            actor=world.users["lead_unit"],
            result="solved",
            reply="已修复",
            public_reply="已修复",
        )
    case.refresh_from_db()
    assert (case.deadline, case.next_sweep_on) == (None, None)
    with on(dt.date(2026, 12, 1)):
        assert (cases_due_soon_remind(), cases_escalate()) == (0, 0)


def test_no_person_can_escalate(world):
    """Escalation is the system's move: every role is refused, and nothing changes."""
    case = assigned_case(world)
    for user in world.users.values():
        with on(LEVEL_ONE), pytest.raises(services.NotAllowed):
            services.case_escalate(case_id=case.pk, actor=user)
    with on(LEVEL_ONE):
        services.case_escalate(case_id=case.pk)
    case.refresh_from_db()
    assert case.escalation_level == 1


def test_sweep_notices_carry_no_constituent_data(world, reception_case):
    """Notices to units and committees hold the tracking code, title, deadline and station,
    never the constituent's name or phone."""
    assigned_case(world)
    with on(dt.date(2026, 11, 25)):
        cases_unregistered_flag()
        cases_escalate()
    texts = list(Notification.objects.values_list("title", "body"))
    assert texts
    for title, body in texts:
        for private in ("张三", "13812345678", "李四", "13900001111"):
            assert private not in title + body
    escalated = notices(NotificationKind.CASE_ESCALATED, channel=Channel.IN_APP).first()
    assert world.station.name in escalated.body and "2026-11-09" in escalated.body
    assert "逾期" in escalated.title  # the site's language (zh-hans), not the msgid


def test_county_of_another_county_hears_nothing(world):
    """Another county's committee and units are never told about this county's case."""
    assigned_case(world)
    with on(dt.date(2026, 11, 25)):
        cases_escalate()
    others = {world.users[name].pk for name in ("other_committee", "other_unit", "other_liaison")}
    assert not Notification.objects.filter(user_id__in=others).exists()


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_escalate_each_case_once(postgres, world):
    """SKIP LOCKED: two escalation sweeps running together share the due cases; every case
    gets one level-1 event and one set of notices."""
    cases = [assigned_case(world) for _ in range(12)]
    results, errors = [], []

    def sweep():
        try:
            results.append(cases_escalate(today=LEVEL_ONE, batch_size=2))
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors and sum(results) == len(cases)
    events = CaseEvent.objects.filter(kind="escalate", case__in=cases)
    assert events.count() == len(cases)
    assert notices(NotificationKind.CASE_ESCALATED).count() == len(cases) * 4


def test_a_catch_up_of_several_batches_asks_for_helpers_up_to_the_setting(
    postgres, world, settings
):
    for _ in range(5):
        assigned_case(world)
    settings.SWEEP_PARALLEL_TASKS = 2
    assert escalation_helpers(today=LEVEL_ONE, batch_size=2) == 1
    settings.SWEEP_PARALLEL_TASKS = 4
    assert escalation_helpers(today=LEVEL_ONE, batch_size=2) == 2  # three batches due
    assert escalation_helpers(today=LEVEL_ONE, batch_size=5) == 0  # one batch
    assert escalation_helpers(today=DEADLINE, batch_size=2) == 0  # nothing due yet
    settings.SWEEP_PARALLEL_TASKS = 1
    assert escalation_helpers(today=LEVEL_ONE, batch_size=2) == 0
    settings.SWEEP_PARALLEL_TASKS = 4
    cases_escalate(today=LEVEL_ONE)
    assert escalation_helpers(today=LEVEL_ONE, batch_size=2) == 0


def test_the_beat_s_escalation_run_publishes_its_helpers_and_each_case_rises_once(
    postgres, world, settings, monkeypatch
):
    """The task as the beat sends it: it publishes a helper (here, with the broker's
    eager mode, the helper runs as it is published), and between them every case rises
    once, with one set of notices."""
    cases = [assigned_case(world) for _ in range(5)]
    settings.SWEEP_PARALLEL_TASKS = 2
    monkeypatch.setattr(sweeps, "SET_BASED_BATCH_SIZE", 2)
    monkeypatch.setitem(escalate_overdue_cases.app.conf, "task_always_eager", True)
    published = []

    def publish(task, **kwargs):  # the broker's side of the edge, recorded, then sent
        published.append((task.name, kwargs))
        return tasks.publish(task, **kwargs)

    monkeypatch.setattr("suggestions.cases.tasks.publish", publish)
    with on(LEVEL_ONE):
        escalated_by_the_beat_s_run = escalate_overdue_cases.apply().get()

    assert published == [(escalate_overdue_cases.name, {"helper": True})]
    # The helper, run at once, swept everything; a real one works beside the beat's run.
    assert escalated_by_the_beat_s_run == 0
    steps = Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("step", flat=True)
    assert set(steps) == {Step.SUPERVISING}
    assert CaseEvent.objects.filter(kind="escalate", case__in=cases).count() == len(cases)
    assert notices(NotificationKind.CASE_ESCALATED).count() == len(cases) * 4


def test_the_migration_gives_registered_cases_their_flag_date(world):
    """Cases registered before the disposition flag existed had no sweep date: the data
    migration gives them the first working day after their deadline, and no other case."""
    migration = importlib.import_module("suggestions.migrations.0010_registered_cases_sweep_date")
    with on(dt.date(2026, 9, 29), 10):  # Tuesday before the National Day week
        registered = received(world)
        services.case_register(
            case_id=registered.pk,
            actor=world.users["liaison"],
            category=world.category,
            authority="township",
        )
    waiting = received(world, title="井盖缺失")
    Case.objects.filter(pk=registered.pk).update(next_sweep_on=None)
    migration.schedule_registered_cases(django_apps, None)
    registered.refresh_from_db()
    # 2 working days after Tuesday 09-29: 09-30 and, after the National Day week, 10-08.
    assert registered.deadline == dt.date(2026, 10, 8)
    assert registered.next_sweep_on == dt.date(2026, 10, 9)
    assert Case.objects.get(pk=waiting.pk).next_sweep_on == waiting.next_sweep_on


def test_the_set_based_writes_record_what_model_instances_would(postgres, world, monkeypatch):
    """On PostgreSQL the escalation writes its events and outbox rows with INSERT … SELECT;
    the rows, their order and the cases' new state are those of the model-instance path
    (which SQLite runs), here for two levels at once and a recipient heard twice."""
    from django.db import connection, transaction

    from liaison.base.models import CommitteeMembership

    county = CommitteeMembership.objects.get(user=world.users["committee"]).region
    CommitteeMembership.objects.create(region=county, user=world.users["lead_unit"])
    cases = [assigned_case(world), assigned_case(world)]
    # The database formats the texts on one side: a title that reads as a template does not.
    Case.objects.filter(pk=cases[1].pk).update(title="路灯 100% 不亮 %s %(code)s %1$s")

    def written():
        rows = Notification.objects.order_by("id").values_list(
            "kind", "channel", "subject_type", "subject_id", "recipient_key", "recipient_name",
            "address", "user_id", "title", "body", "due_date", "dedupe_key", "status",
            "attempts", "last_error", "sent_at", "read_at",
        )  # fmt: skip
        events = CaseEvent.objects.filter(kind="escalate").order_by("id")
        states = Case.objects.filter(pk__in=[c.pk for c in cases]).order_by("pk")
        return (
            list(rows),
            list(events.values_list("case_id", "from_step", "to_step", "actor", "note", "data")),
            list(states.values_list("step", "escalation_level", "escalated_deadline", "next_sweep_on")),
        )  # fmt: skip

    def sweep():
        with transaction.atomic():
            with on(LEVEL_TWO):
                assert cases_escalate() == 2
            found = written()
            transaction.set_rollback(True)
        return found

    set_based = sweep()
    monkeypatch.setattr(connection, "vendor", "sqlite")  # the model-instance path
    instances = sweep()
    assert set_based == instances
    rows, events, states = set_based
    assert len(events) == 4 and states[0][:2] == (Step.SUPERVISING, 2)
    # The lead unit's clerk sits on the county committee too: told once per level 1.
    clerk = user_key(world.users["lead_unit"])
    assert sum(1 for row in rows if row[4] == clerk and row[1] == Channel.IN_APP) == 2
