import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from suggestions.cases import services
from suggestions.cases.flow import CASES
from suggestions.models import Case, CaseCallback, CaseEvent, Disposition, Satisfaction, Step
from tests.case_world import case_at, make_world

pytestmark = pytest.mark.django_db

ROLES = [
    "liaison",
    "committee",
    "township_committee",
    "admin",
    "lead_unit",
    "co_unit",
    "receiver",
    "other_liaison",
    "other_committee",
    "other_unit",
    "other_representative",
]
STATION_STAFF = {"liaison", "committee", "township_committee", "admin"}
COMMITTEE = {"committee", "township_committee", "admin"}


def _constituent_only(name: str):
    """The table's check of a constituent move for a staff actor (the service itself
    takes no user: the status page proves the constituent by code and check)."""

    def check(*, case_id: int, actor, **kwargs):
        CASES.check(CASES[name], Case.objects.get(pk=case_id), actor)

    return check


# transition: (the step to start from, who may, the service, its arguments)
MATRIX = {
    "register": (
        Step.RECEIVED,
        STATION_STAFF,
        services.case_register,
        lambda w, c: {"category": w.category, "authority": "township"},
    ),
    "assign_on_spot": (
        Step.REGISTERED,
        STATION_STAFF,
        services.case_assign_on_spot,
        lambda w, c: {"unit": w.unit},
    ),
    "refer_by_letter": (
        Step.REGISTERED,
        STATION_STAFF,
        services.case_refer_by_letter,
        lambda w, c: {"unit": w.unit, "co_units": [w.co_unit]},
    ),
    "report_to_township": (
        "registered_major",
        STATION_STAFF,
        services.case_report_to_township,
        lambda w, c: {"unit": w.unit, "note": "报告：道路问题清单三项"},
    ),
    "to_suggestion": (
        "registered_county",
        COMMITTEE,
        services.case_to_suggestion,
        lambda w, c: {},
    ),
    "answer_consultation": (
        Step.REGISTERED,
        STATION_STAFF,
        services.case_answer_consultation,
        lambda w, c: {"reply": "社保卡可在便民服务中心办理。"},
    ),
    "supervise": (
        Step.HANDLING,
        COMMITTEE,
        services.case_supervise,
        lambda w, c: {"note": "召开协调会"},
    ),
    "set_plan": (
        Step.HANDLING,
        {"lead_unit"},
        services.case_set_plan,
        lambda w, c: {"handler": "王科长", "plan": "两周内完成维修"},
    ),
    # The system's move (the escalation sweep): no person may make it.
    "escalate": (Step.HANDLING, set(), services.case_escalate, lambda w, c: {}),
    "request_extension": (
        Step.HANDLING,
        {"lead_unit"},
        services.case_request_extension,
        lambda w, c: {
            "until": (c.deadline or dt.date(2030, 1, 1)) + dt.timedelta(days=30),
            "reason": "需要招标",
        },
    ),
    "approve_extension": (
        "extension",
        COMMITTEE,
        services.case_approve_extension,
        lambda w, c: {},
    ),
    "refuse_extension": (
        "extension",
        COMMITTEE,
        services.case_refuse_extension,
        lambda w, c: {"note": "理由不充分"},
    ),
    "send_back": (
        Step.HANDLING,
        {"lead_unit"},
        services.case_send_back,
        lambda w, c: {"reason": "不属于本单位职责，应由交通局办理"},
    ),
    "reply": (
        Step.HANDLING,
        {"lead_unit", *COMMITTEE},
        services.case_reply,
        lambda w, c: {"result": "cannot", "reply": "资金不足", "public_reply": "暂无资金。"},
    ),
    "reply_in_progress": (
        Step.HANDLING,
        {"lead_unit", *COMMITTEE},
        services.case_reply_in_progress,
        lambda w, c: {
            "reply": "已列入明年计划",
            "public_reply": "已列入明年计划。",
            "next_reply_on": timezone.localdate() + dt.timedelta(days=60),
        },
    ),
    "edit_public_reply": (
        Step.REPLIED,
        COMMITTEE,
        services.case_edit_public_reply,
        lambda w, c: {"public_reply": "村口三盏路灯均已修复。"},
    ),
    # The constituent's moves (no user, on the status page): no staff role may make them.
    "rate": (Step.REPLIED, set(), _constituent_only("rate"), lambda w, c: {}),
    "reopen_on_rating": (
        "unsatisfied",
        set(),
        _constituent_only("reopen_on_rating"),
        lambda w, c: {},
    ),
    "record_callback": (
        "callback",
        COMMITTEE,
        services.case_record_callback,
        lambda w, c: {"reached": True, "satisfaction": "satisfied", "comment": "路灯亮了"},
    ),
    "conclude": (
        "cannot",
        COMMITTEE,
        services.case_conclude,
        lambda w, c: {"conclusion": "需列入县级规划，目前无法解决。"},
    ),
    "conclude_follow_up": (
        Step.FOLLOW_UP,
        COMMITTEE,
        services.case_conclude,
        lambda w, c: {"conclusion": "需列入县级规划，目前无法解决。"},
    ),
    "feedback": (
        Step.REPLIED,
        {"liaison", "receiver"},
        services.case_feedback,
        lambda w, c: {"satisfaction": "basic", "note": "当面告知"},
    ),
    "archive": (Step.FEEDBACK, COMMITTEE, services.case_archive, lambda w, c: {}),
    "reopen": (
        "unsatisfied",
        COMMITTEE,
        services.case_reopen,
        lambda w, c: {"note": "群众不满意，重新办理"},
    ),
    "merge": (
        Step.REGISTERED,
        STATION_STAFF,
        services.case_merge,
        lambda w, c: {"into_id": case_at(w, Step.REGISTERED).pk},
    ),
    "withdraw": (
        Step.REGISTERED,
        STATION_STAFF,
        services.case_withdraw,
        lambda w, c: {"reason": "群众撤回"},
    ),
}


def _prepare(world, start) -> Case:
    if start == "extension":
        case = case_at(world, Step.HANDLING)
        services.case_request_extension(
            case_id=case.pk,
            actor=world.users["lead_unit"],
            until=case.deadline + dt.timedelta(days=20),
            reason="需要招标",
        )
        return Case.objects.get(pk=case.pk)
    if start == "unsatisfied":
        return case_at(world, Step.FEEDBACK, satisfaction=Satisfaction.UNSATISFIED)
    if start == "registered_major":
        return case_at(world, Step.REGISTERED, authority="township_major")
    if start == "registered_county":
        return case_at(world, Step.REGISTERED, authority="county")
    if start == "callback":
        case = case_at(world, Step.REPLIED)
        CaseCallback.objects.create(case=case, picked_on=timezone.localdate())
        return case
    if start == "cannot":
        case = case_at(world, Step.HANDLING)
        services.case_reply(
            case_id=case.pk,
            actor=world.users["lead_unit"],
            result="cannot",
            reply="资金不足",
            public_reply="暂无资金，无法解决。",
        )
        return Case.objects.get(pk=case.pk)
    return case_at(world, start)


def test_the_matrix_covers_every_transition():
    """Every transition of the table is exercised below for every role."""
    assert set(MATRIX) == set(CASES.table)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(MATRIX))
def test_every_transition_for_every_role(name, role):
    """A role in the table moves the case and leaves one event; any other is refused
    with NotAllowed and nothing changes."""
    start, allowed, service, arguments = MATRIX[name]
    world = make_world()
    case = _prepare(world, start)
    kwargs = arguments(world, case)
    before = (case.step, CaseEvent.objects.filter(case=case).count())
    actor = world.users[role]
    offered = {t.name for t in CASES.available(actor, case)}
    if role in allowed:
        assert name in offered
        moved = service(case_id=case.pk, actor=actor, **kwargs)
        target = CASES.table[name].target or before[0]
        assert moved.step == target
        event = CaseEvent.objects.filter(case=case).last()
        assert (event.kind, event.from_step, event.to_step, event.actor) == (
            name,
            before[0],
            target,
            actor,
        )
    else:
        assert name not in offered
        with pytest.raises(services.NotAllowed):
            service(case_id=case.pk, actor=actor, **kwargs)
        case.refresh_from_db()
        assert (case.step, CaseEvent.objects.filter(case=case).count()) == before


@pytest.mark.parametrize("name", list(MATRIX))
def test_nothing_moves_an_archived_case(name):
    """Archive (销号) makes the case read-only: every move is an illegal transition."""
    world = make_world()
    case = case_at(world, Step.ARCHIVED)
    _start, _allowed, service, arguments = MATRIX[name]
    events = case.events.count()
    assert CASES.available(world.users["admin"], case) == []
    with pytest.raises(services.IllegalTransition):
        service(case_id=case.pk, actor=world.users["admin"], **arguments(world, case))
    case.refresh_from_db()
    assert case.step == Step.ARCHIVED and case.events.count() == events


def test_a_received_case_cannot_jump_to_reply():
    """Receive → reply skips registration and handling: refused, nothing written."""
    world = make_world()
    case = case_at(world, Step.RECEIVED)
    with pytest.raises(services.IllegalTransition):
        services.case_reply(
            case_id=case.pk,
            actor=world.users["committee"],
            result="solved",
            reply="好",
            public_reply="好",
        )
    case.refresh_from_db()
    assert case.step == Step.RECEIVED and case.result == "" and case.events.count() == 1


def test_the_full_seven_steps_leave_a_complete_history():
    """Receive to archive: seven steps, one event each, in order, with actors."""
    world = make_world()
    case = case_at(world, Step.ARCHIVED)
    kinds = list(case.events.values_list("kind", "to_step"))
    assert kinds == [
        ("receive", Step.RECEIVED),
        ("register", Step.REGISTERED),
        ("refer_by_letter", Step.HANDLING),
        ("reply", Step.REPLIED),
        ("feedback", Step.FEEDBACK),
        ("archive", Step.ARCHIVED),
    ]
    assert case.closed_at is not None and case.deadline is None


def test_required_fields_are_field_errors():
    """Missing, oversized or control-character input is a field error and changes nothing."""
    world = make_world()
    case = case_at(world, Step.RECEIVED)
    with pytest.raises(ValidationError) as error:
        services.case_register(
            case_id=case.pk,
            actor=world.users["liaison"],
            category=None,
            authority="nowhere",
            title="坏\u200b标题",
            description="x" * 5001,
        )
    assert set(error.value.message_dict) == {"category", "authority", "title", "description"}
    case.refresh_from_db()
    assert case.step == Step.RECEIVED


def test_reopen_only_after_unsatisfied_feedback():
    """A satisfied case is archived, not reopened; an unsatisfied one goes back to its unit
    with a new deadline, and the old reply stays in the history."""
    world = make_world()
    satisfied = case_at(world, Step.FEEDBACK)
    with pytest.raises(services.IllegalTransition):
        services.case_reopen(case_id=satisfied.pk, actor=world.users["committee"], note="再办")
    unsatisfied = case_at(world, Step.FEEDBACK, satisfaction=Satisfaction.UNSATISFIED)
    case = services.case_reopen(case_id=unsatisfied.pk, actor=world.users["committee"], note="再办")
    assert case.step == Step.HANDLING and case.reopen_count == 1 and case.deadline
    assert case.deadline_explanation["rule"] == "rehandle"
    assert case.events.last().data["previous_reply"] == "已修复路灯"


def test_merge_points_the_duplicate_to_the_surviving_case():
    """The duplicate closes as merged; both cases record it."""
    world = make_world()
    duplicate, survivor = case_at(world, Step.REGISTERED), case_at(world, Step.HANDLING)
    services.case_merge(case_id=duplicate.pk, actor=world.users["liaison"], into_id=survivor.pk)
    duplicate.refresh_from_db()
    assert duplicate.step == Step.MERGED and duplicate.merged_into == survivor
    assert survivor.events.filter(kind="absorb", data__merged=duplicate.pk).exists()
    with pytest.raises(ValidationError):
        services.case_merge(case_id=survivor.pk, actor=world.users["liaison"], into_id=survivor.pk)


def test_extension_moves_the_deadline_when_approved():
    """The unit asks with a reason, the committee approves: the deadline becomes the date
    asked for and the explanation says why."""
    world = make_world()
    case = _prepare(world, "extension")
    until = case.extension_until
    case = services.case_approve_extension(case_id=case.pk, actor=world.users["committee"])
    assert case.deadline == until and case.extension_until is None
    assert case.deadline_explanation["rule"] == "extension"
    with pytest.raises(services.IllegalTransition):
        services.case_approve_extension(case_id=case.pk, actor=world.users["committee"])


def test_to_suggestion_sets_a_months_deadline():
    """A county-level matter filed as a suggestion is due in the jurisdiction's months."""
    world = make_world()
    case = case_at(world, Step.REGISTERED, authority="county")
    case = services.case_to_suggestion(case_id=case.pk, actor=world.users["committee"])
    assert case.disposition == Disposition.SUGGESTION and case.lead_unit is None
    assert case.deadline_explanation["months"] == 3
