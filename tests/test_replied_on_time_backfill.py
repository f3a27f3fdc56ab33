"""Cases replied before ``replied_on_time`` was recorded get it from their history: the
data migration replays the deadlines each move set and judges the last reply by the
services' rule, so it finds what the services would have stored; twice changes nothing."""

import datetime as dt
import importlib

import pytest
import time_machine
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from suggestions.cases import services
from suggestions.models import Case, CaseEvent, Satisfaction
from tests.case_world import make_world, received
from tests.clock import SHANGHAI

pytestmark = pytest.mark.django_db

migration = importlib.import_module("suggestions.migrations.0015_case_replied_on_time_from_history")


def on(day: dt.date, hour: int = 10):
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )


MONDAY = dt.date(2026, 11, 2)


def assigned(w, **kw) -> Case:
    with on(MONDAY):
        case = received(w)
        services.case_register(
            case_id=case.pk, actor=w.users["liaison"], category=w.category, authority="township"
        )
        services.case_refer_by_letter(
            case_id=case.pk, actor=w.users["committee"], unit=w.unit, **kw
        )
    return case


def reply(w, case: Case, day: dt.date, result: str = "solved") -> None:
    with on(day):
        services.case_reply(
            case_id=case.pk,
            actor=w.users["lead_unit"],
            result=result,
            reply="已办",
            public_reply="已办",
        )


@pytest.fixture
def cases():
    """Replies on time and late, after an extension, a follow-up, a consultation and a
    reopening, as the services record them."""
    w = make_world()
    made = {}
    made["on_time"] = assigned(w)  # 15 working days from Monday 11-02: 11-23
    reply(w, made["on_time"], dt.date(2026, 11, 23))
    made["late"] = assigned(w, workdays=3)  # due Thursday 11-05
    reply(w, made["late"], dt.date(2026, 11, 6))
    made["extended"] = assigned(w, workdays=3)
    with on(dt.date(2026, 11, 4)):
        services.case_request_extension(
            case_id=made["extended"].pk,
            actor=w.users["lead_unit"],
            until=dt.date(2026, 11, 20),
            reason="需协调资金",
        )
        services.case_approve_extension(case_id=made["extended"].pk, actor=w.users["committee"])
    reply(w, made["extended"], dt.date(2026, 11, 19))
    made["follow_up"] = assigned(w)
    with on(dt.date(2026, 11, 10)):
        services.case_reply_in_progress(
            case_id=made["follow_up"].pk,
            actor=w.users["lead_unit"],
            reply="已列入计划",
            public_reply="已列入计划",
            next_reply_on=dt.date(2026, 11, 30),
        )
    reply(w, made["follow_up"], dt.date(2026, 12, 1))  # a day after the date it gave
    with on(MONDAY):
        made["consultation"] = received(w)
        services.case_register(
            case_id=made["consultation"].pk,
            actor=w.users["liaison"],
            category=w.category,
            authority="consultation",
        )
    with on(dt.date(2026, 11, 3)):  # within the 2 working days of registration
        services.case_answer_consultation(
            case_id=made["consultation"].pk, actor=w.users["liaison"], reply="可到社区办理。"
        )
    made["reopened"] = assigned(w, workdays=3)
    reply(w, made["reopened"], dt.date(2026, 11, 4))
    with on(dt.date(2026, 11, 5)):
        services.case_feedback(
            case_id=made["reopened"].pk,
            actor=w.users["liaison"],
            satisfaction=Satisfaction.UNSATISFIED,
            note="群众不满意",
        )
        services.case_reopen(case_id=made["reopened"].pk, actor=w.users["committee"], note="重办")
    reply(w, made["reopened"], dt.date(2026, 11, 27))  # 15 working days from 11-05: 11-26
    for case in made.values():
        case.refresh_from_db()
    return made


def run() -> None:
    """The migration's function on the models as they were when it runs (its state)."""
    loader = MigrationLoader(connection)
    state = loader.project_state(("suggestions", "0015_case_replied_on_time_from_history"))
    migration.fill_replied_on_time(state.apps, None)


def test_the_history_gives_what_the_services_stored(cases):
    stored = {name: case.replied_on_time for name, case in cases.items()}
    assert stored == {
        "on_time": True,
        "late": False,
        "extended": True,
        "follow_up": False,
        "consultation": True,
        "reopened": False,
    }
    Case.objects.filter(pk__in=[case.pk for case in cases.values()]).update(replied_on_time=None)
    run()
    filled = dict(
        Case.objects.filter(pk__in=[case.pk for case in cases.values()]).values_list(
            "pk", "replied_on_time"
        )
    )
    assert {name: filled[case.pk] for name, case in cases.items()} == stored


def test_in_batches_only_what_is_empty_and_twice_changes_nothing(cases, monkeypatch):
    monkeypatch.setattr(migration, "BATCH", 2)
    # A value already stored is kept, even where the history would say otherwise.
    Case.objects.filter(pk=cases["late"].pk).update(replied_on_time=True)
    others = [case.pk for name, case in cases.items() if name != "late"]
    Case.objects.filter(pk__in=others).update(replied_on_time=None)
    run()
    first = dict(Case.objects.values_list("pk", "replied_on_time"))
    assert first[cases["late"].pk] is True
    assert None not in [first[pk] for pk in others]
    run()
    assert dict(Case.objects.values_list("pk", "replied_on_time")) == first


def test_open_cases_and_replies_without_history_stay_empty():
    w = make_world()
    open_case = received(w)
    loaded = received(w, title="导入")
    # Replied, but with no reply in its history (as a bulk load leaves it).
    Case.objects.filter(pk=loaded.pk).update(replied_at=timezone.now(), result="solved")
    assert not CaseEvent.objects.filter(case=loaded, kind="reply").exists()
    run()
    assert Case.objects.get(pk=open_case.pk).replied_on_time is None
    assert Case.objects.get(pk=loaded.pk).replied_on_time is None
