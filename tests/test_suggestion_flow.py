import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from liaison.base.history import ImmutableEvent
from suggestions.models import Case, Step, Suggestion, SuggestionEvent
from suggestions.proposals import services
from suggestions.proposals.flow import SUGGESTIONS
from suggestions.proposals.models import (
    Rating,
    SuggestionCoUnit,
    SuggestionRating,
    SuggestionReply,
)
from suggestions.proposals.models import SuggestionStep as S
from tests.case_world import case_at
from tests.clock import frozen
from tests.suggestion_world import filed, make_suggestion_world, rate_all, suggestion_at

pytestmark = pytest.mark.django_db

ROLES = [
    "committee",
    "admin",
    "township_committee",
    "other_committee",
    "lead_unit",
    "co_unit",
    "other_unit",
    "receiver",
    "co_signer",
    "other_representative",
    "liaison",
    "other_liaison",
]
COMMITTEE = {"committee", "admin"}

# transition: (where to start, who may, the service, its arguments)
MATRIX = {
    "accept": (S.FILED, COMMITTEE, services.suggestion_accept, lambda w, s: {}),
    "return": (
        S.FILED,
        COMMITTEE,
        services.suggestion_return,
        lambda w, s: {"reason": "not_local", "note": "属于上级事权"},
    ),
    "merge": (
        S.ACCEPTED,
        COMMITTEE,
        services.suggestion_merge,
        lambda w, s: {"into_id": suggestion_at(w, S.ACCEPTED).pk},
    ),
    "assign": (
        S.ACCEPTED,
        COMMITTEE,
        services.suggestion_assign,
        lambda w, s: {"lead_unit": w.unit, "co_units": [w.co_unit]},
    ),
    "send_back": (
        S.ASSIGNED,
        {"lead_unit"},
        services.suggestion_send_back,
        lambda w, s: {"reason": "不属于本单位职责"},
    ),
    "start": (
        S.ASSIGNED,
        {"lead_unit"},
        services.suggestion_start,
        lambda w, s: {
            "handler_name": "王科长",
            "plan": "实地调研",
            "planned_reply_date": timezone.localdate() + dt.timedelta(days=20),
        },
    ),
    "record_contact": (
        S.HANDLING,
        {"lead_unit"},
        services.suggestion_record_contact,
        lambda w, s: {
            "stage": "during",
            "way": "meeting",
            "on": timezone.localdate(),
            "note": "面商",
        },
    ),
    "counit_opinion": (
        S.ASSIGNED,
        {"co_unit"},
        services.suggestion_counit_opinion,
        lambda w, s: {"opinion": "同意牵头单位意见"},
    ),
    "request_extension": (
        S.HANDLING,
        {"lead_unit"},
        services.suggestion_request_extension,
        lambda w, s: {"reason": "涉及面广，需要跨部门协调"},
    ),
    "approve_extension": (
        "extension",
        COMMITTEE,
        services.suggestion_approve_extension,
        lambda w, s: {},
    ),
    "refuse_extension": (
        "extension",
        COMMITTEE,
        services.suggestion_refuse_extension,
        lambda w, s: {"note": "理由不充分"},
    ),
    "reply": (
        S.HANDLING,
        {"lead_unit"},
        services.suggestion_reply,
        lambda w, s: {"category": "A", "text": "已完成改造"},
    ),
    "rate": (
        S.REPLIED,
        {"receiver", *COMMITTEE},
        services.suggestion_rate,
        lambda w, s: {"rating": "satisfied", "representative": w.representative},
    ),
    "rehandle": (
        S.REHANDLING,
        COMMITTEE,
        services.suggestion_rehandle,
        lambda w, s: {"note": "重办"},
    ),
    "follow_up": (S.FOLLOW_UP, COMMITTEE, services.suggestion_follow_up, lambda w, s: {}),
    "close": (S.RATED, COMMITTEE, services.suggestion_close, lambda w, s: {}),
    "publish": (S.RATED, COMMITTEE, services.suggestion_publish, lambda w, s: {}),
    "unpublish": (
        "published",
        COMMITTEE,
        services.suggestion_unpublish,
        lambda w, s: {"note": "撤下"},
    ),
}


def _prepare(w, start) -> Suggestion:
    if start == "extension":
        suggestion = suggestion_at(w, S.HANDLING)
        services.suggestion_request_extension(
            suggestion_id=suggestion.pk, actor=w.users["lead_unit"], reason="需要招标"
        )
        return Suggestion.objects.get(pk=suggestion.pk)
    if start == "published":
        suggestion = suggestion_at(w, S.RATED)
        services.suggestion_publish(suggestion_id=suggestion.pk, actor=w.users["committee"])
        return Suggestion.objects.get(pk=suggestion.pk)
    if start == S.REHANDLING:
        return suggestion_at(w, S.RATED, rating=Rating.UNSATISFIED)
    if start == S.FOLLOW_UP:
        return suggestion_at(w, S.RATED, category="B")
    return suggestion_at(w, start)


def test_the_matrix_covers_every_transition():
    """Every transition of the table is exercised below for every role."""
    assert set(MATRIX) == set(SUGGESTIONS.table)


@frozen()
@pytest.mark.parametrize("name", list(MATRIX))
def test_every_transition_for_every_role(name):
    """The roles in the table make the move and leave one event; every other role is
    refused with NotAllowed, is not offered the move, and nothing changes."""
    start, allowed, service, arguments = MATRIX[name]
    w = make_suggestion_world()
    suggestion = _prepare(w, start)
    before = (suggestion.step, suggestion.events.count())
    for role in ROLES:
        if role in allowed:
            continue
        actor = w.users[role]
        assert name not in {t.name for t in SUGGESTIONS.available(actor, suggestion)}, role
        with pytest.raises(services.NotAllowed):
            service(suggestion_id=suggestion.pk, actor=actor, **arguments(w, suggestion))
        suggestion.refresh_from_db()
        assert (suggestion.step, suggestion.events.count()) == before, role
    for role in sorted(allowed):
        suggestion = _prepare(w, start)
        from_step, actor = suggestion.step, w.users[role]
        assert name in {t.name for t in SUGGESTIONS.available(actor, suggestion)}, role
        service(suggestion_id=suggestion.pk, actor=actor, **arguments(w, suggestion))
        suggestion.refresh_from_db()
        assert suggestion.step == (SUGGESTIONS.table[name].target or from_step), role
        event = suggestion.events.last()
        assert (event.kind, event.from_step, event.to_step, event.actor) == (
            name,
            from_step,
            suggestion.step,
            actor,
        ), role


@pytest.mark.parametrize("step", [S.CLOSED, S.RETURNED, S.MERGED])
def test_nothing_but_publication_moves_a_finished_suggestion(step):
    """Closed, returned and merged suggestions accept no move but (for closed ones)
    publication; anything else is an illegal transition and writes nothing."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, step)
    offered = {t.name for t in SUGGESTIONS.available(w.users["admin"], suggestion)}
    assert offered <= {"publish"}
    events = suggestion.events.count()
    for name in ("accept", "assign", "reply", "close", "rehandle"):
        _start, _allowed, service, arguments = MATRIX[name]
        with pytest.raises(services.IllegalTransition):
            service(suggestion_id=suggestion.pk, actor=w.users["admin"], **arguments(w, suggestion))
    assert suggestion.events.count() == events


@frozen()
def test_the_whole_way_leaves_a_complete_history():
    """Filed to closed: each move one event, in order, numbered in the year."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.CLOSED)
    assert list(suggestion.events.values_list("kind", "to_step")) == [
        ("file", S.FILED),
        ("accept", S.ACCEPTED),
        ("assign", S.ASSIGNED),
        ("start", S.HANDLING),
        ("reply", S.REPLIED),
        ("rate", S.RATED),
        ("close", S.CLOSED),
    ]
    assert suggestion.number == f"{timezone.localdate().year}-0001"
    assert suggestion.replied_on_time is True and suggestion.closed_at
    second = filed(w)
    assert second.number.endswith("-0002")


def test_events_are_append_only():
    """History is never edited: saving, updating or deleting an event raises."""
    w = make_suggestion_world()
    event = filed(w).events.get()
    event.note = "改写"
    with pytest.raises(ImmutableEvent):
        event.save()
    with pytest.raises(ImmutableEvent):
        SuggestionEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(ImmutableEvent):
        event.delete()


def test_return_needs_one_of_the_reasons():
    """Returned with a reason (not local powers, personal, no content) and a note; a
    made-up reason is a field error and nothing changes."""
    w = make_suggestion_world()
    suggestion = filed(w)
    with pytest.raises(ValidationError) as error:
        services.suggestion_return(
            suggestion_id=suggestion.pk, actor=w.users["committee"], reason="boring", note=""
        )
    assert set(error.value.message_dict) == {"reason", "note"}
    for reason in ("not_local", "personal", "no_content"):
        one = filed(w)
        services.suggestion_return(
            suggestion_id=one.pk, actor=w.users["committee"], reason=reason, note="说明理由"
        )
        one.refresh_from_db()
        assert (one.step, one.return_reason, one.deadline) == (S.RETURNED, reason, None)


def test_filing_checks_who_and_what():
    """A representative files only for themself; empty fields are field errors; a
    committee may enter a paper suggestion for a representative of its region."""
    w = make_suggestion_world()
    with pytest.raises(services.NotAllowed):
        services.suggestion_file(
            actor=w.users["other_representative"],
            lead_representative=w.representative,
            title="t",
            content="c",
            session="recess",
        )
    with pytest.raises(ValidationError) as error:
        services.suggestion_file(
            actor=w.users["receiver"],
            lead_representative=w.representative,
            title=" ",
            content="",
            session="later",
        )
    assert set(error.value.message_dict) == {"title", "content", "session"}
    for role in ("lead_unit", "liaison", "other_committee"):
        with pytest.raises(services.NotAllowed):
            services.suggestion_file(
                actor=w.users[role],
                lead_representative=w.representative,
                title="t",
                content="c",
                session="recess",
            )
    paper = services.suggestion_file(
        actor=w.users["committee"],
        lead_representative=w.representative,
        title="大会期间纸质建议",
        content="内容",
        session="session",
    )
    assert paper.deadline is None and paper.filed_by == w.users["committee"]
    assert not Suggestion.objects.filter(title="t").exists()


def test_key_suggestion_names_its_leader():
    """A key suggestion is led by the director or the mayor; without a leader it is a
    field error."""
    w = make_suggestion_world()
    suggestion = filed(w)
    with pytest.raises(ValidationError):
        services.suggestion_accept(
            suggestion_id=suggestion.pk, actor=w.users["committee"], is_key=True
        )
    services.suggestion_accept(
        suggestion_id=suggestion.pk,
        actor=w.users["committee"],
        is_key=True,
        key_leader="mayor",
        key_leader_name="张市长",
    )
    suggestion.refresh_from_db()
    assert (suggestion.is_key, suggestion.key_leader) == (True, "mayor")


@frozen()
def test_merge_joins_the_signers_and_answers_them_together():
    """The duplicate closes as merged; its representative joins the survivor as a
    signer, gets the survivor's reply and rates it."""
    w = make_suggestion_world()
    survivor = suggestion_at(w, S.ACCEPTED)
    duplicate = services.suggestion_file(
        actor=w.users["co_signer"],
        lead_representative=w.co_signer,
        title="同样的村道问题",
        content="同上",
        session="recess",
        category=w.category,
    )
    services.suggestion_merge(
        suggestion_id=duplicate.pk, actor=w.users["committee"], into_id=survivor.pk
    )
    duplicate.refresh_from_db()
    assert duplicate.step == S.MERGED and duplicate.merged_into == survivor
    assert set(survivor.signers.all()) == {w.representative, w.co_signer}
    assert survivor.events.filter(kind="absorb", data__merged=duplicate.pk).exists()
    with pytest.raises(ValidationError):
        services.suggestion_merge(
            suggestion_id=survivor.pk, actor=w.users["committee"], into_id=survivor.pk
        )
    services.suggestion_assign(
        suggestion_id=survivor.pk, actor=w.users["committee"], lead_unit=w.unit
    )
    services.suggestion_start(
        suggestion_id=survivor.pk,
        actor=w.users["lead_unit"],
        handler_name="王科长",
        plan="调研",
        planned_reply_date=timezone.localdate() + dt.timedelta(days=5),
    )
    services.suggestion_reply(
        suggestion_id=survivor.pk, actor=w.users["lead_unit"], category="A", text="已修"
    )
    assert SuggestionReply.objects.filter(suggestion=survivor).count() == 2
    services.suggestion_rate(suggestion_id=survivor.pk, actor=w.users["co_signer"], rating="basic")
    survivor.refresh_from_db()
    assert survivor.step == S.REPLIED  # the lead representative has not rated yet


def test_merge_into_an_answered_suggestion_is_refused():
    """Only suggestions not yet answered absorb duplicates."""
    w = make_suggestion_world()
    answered, duplicate = suggestion_at(w, S.REPLIED), suggestion_at(w, S.ACCEPTED)
    with pytest.raises(services.IllegalTransition):
        services.suggestion_merge(
            suggestion_id=duplicate.pk, actor=w.users["committee"], into_id=answered.pk
        )


def test_joint_suggestion_is_answered_to_each_signer_and_rated_by_each():
    """Joint: one reply per signer (one of them a text of its own); the suggestion is
    rated once both have rated, with the worse of the two ratings."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.HANDLING, joint=True)
    services.suggestion_reply(
        suggestion_id=suggestion.pk,
        actor=w.users["lead_unit"],
        category="A",
        text="已完成",
        per_signer={w.co_signer.pk: "李四代表：您关心的路段已完成。"},
    )
    texts = dict(
        SuggestionReply.objects.filter(suggestion=suggestion).values_list(
            "representative_id", "text"
        )
    )
    assert texts == {
        w.representative.pk: "已完成",
        w.co_signer.pk: "李四代表：您关心的路段已完成。",
    }
    services.suggestion_rate(
        suggestion_id=suggestion.pk, actor=w.users["receiver"], rating="satisfied"
    )
    suggestion.refresh_from_db()
    assert suggestion.step == S.REPLIED and suggestion.satisfaction == ""
    with pytest.raises(services.IllegalTransition):
        services.suggestion_rate(
            suggestion_id=suggestion.pk, actor=w.users["receiver"], rating="basic"
        )
    services.suggestion_rate(
        suggestion_id=suggestion.pk, actor=w.users["co_signer"], rating="basic"
    )
    suggestion.refresh_from_db()
    assert (suggestion.step, suggestion.satisfaction) == (S.RATED, Rating.BASIC)


def test_ratings_come_from_the_representative_never_the_unit():
    """背靠背: a representative rates only their own reply; the committee may enter a
    paper form for a signer; the unit cannot rate at all."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.REPLIED, joint=True)
    with pytest.raises(services.NotAllowed):
        services.suggestion_rate(
            suggestion_id=suggestion.pk,
            actor=w.users["receiver"],
            rating="satisfied",
            representative=w.co_signer,
        )
    with pytest.raises(services.NotAllowed):
        services.suggestion_rate(
            suggestion_id=suggestion.pk,
            actor=w.users["lead_unit"],
            rating="satisfied",
            representative=w.representative,
        )
    services.suggestion_rate(
        suggestion_id=suggestion.pk,
        actor=w.users["committee"],
        rating="unsatisfied",
        representative=w.co_signer,
        note="纸质测评表",
    )
    rating = SuggestionRating.objects.get(suggestion=suggestion)
    assert (rating.representative, rating.recorded_by) == (w.co_signer, w.users["committee"])


def test_unsatisfied_is_re_handled_and_answered_again():
    """不满意: the committee orders re-handling with a new deadline; the unit replies
    again (round 2), the representative rates it 满意, and it closes; the first
    reply and rating stay."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.RATED, rating=Rating.UNSATISFIED)
    with pytest.raises(services.IllegalTransition):
        services.suggestion_follow_up(suggestion_id=suggestion.pk, actor=w.users["committee"])
    with pytest.raises(services.IllegalTransition):
        services.suggestion_close(suggestion_id=suggestion.pk, actor=w.users["committee"])
    services.suggestion_rehandle(
        suggestion_id=suggestion.pk, actor=w.users["committee"], note="限令重新办理"
    )
    suggestion.refresh_from_db()
    assert (suggestion.step, suggestion.round, suggestion.rehandle_count) == (S.REHANDLING, 2, 1)
    assert suggestion.deadline_explanation["rule"] == "suggestion_rehandle"
    services.suggestion_reply(
        suggestion_id=suggestion.pk, actor=w.users["lead_unit"], category="A", text="已重新办理完成"
    )
    rate_all(w, suggestion, Rating.SATISFIED)
    services.suggestion_close(suggestion_id=suggestion.pk, actor=w.users["committee"])
    suggestion.refresh_from_db()
    assert suggestion.step == S.CLOSED and suggestion.satisfaction == Rating.SATISFIED
    assert list(suggestion.ratings.values_list("round", "rating")) == [
        (1, "unsatisfied"),
        (2, "satisfied"),
    ]
    assert suggestion.replies.count() == 2


def test_a_second_unsatisfied_rating_may_close():
    """After one re-handling, the committee may close even an unsatisfied answer."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.REHANDLING)
    services.suggestion_reply(
        suggestion_id=suggestion.pk, actor=w.users["lead_unit"], category="C", text="暂无资金"
    )
    rate_all(w, suggestion, Rating.UNSATISFIED)
    services.suggestion_close(suggestion_id=suggestion.pk, actor=w.users["committee"])
    suggestion.refresh_from_db()
    assert suggestion.step == S.CLOSED


@frozen()
def test_category_b_is_followed_until_answered_again():
    """B (being solved): not closed but followed up, to the date the unit gave; the unit
    answers again when solved (not B again), it is rated and closed."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.HANDLING)
    expected = timezone.localdate() + dt.timedelta(days=90)
    services.suggestion_reply(
        suggestion_id=suggestion.pk,
        actor=w.users["lead_unit"],
        category="B",
        text="已列入明年计划",
        expected_by=expected,
    )
    rate_all(w, suggestion, Rating.BASIC)
    with pytest.raises(services.IllegalTransition):
        services.suggestion_close(suggestion_id=suggestion.pk, actor=w.users["committee"])
    services.suggestion_follow_up(suggestion_id=suggestion.pk, actor=w.users["committee"])
    suggestion.refresh_from_db()
    assert (suggestion.step, suggestion.deadline, suggestion.round) == (S.FOLLOW_UP, expected, 2)
    with pytest.raises(ValidationError):
        services.suggestion_reply(
            suggestion_id=suggestion.pk, actor=w.users["lead_unit"], category="B", text="仍在办"
        )
    services.suggestion_reply(
        suggestion_id=suggestion.pk, actor=w.users["lead_unit"], category="A", text="已建成"
    )
    rate_all(w, suggestion, Rating.SATISFIED)
    services.suggestion_close(suggestion_id=suggestion.pk, actor=w.users["committee"])
    suggestion.refresh_from_db()
    assert suggestion.step == S.CLOSED and suggestion.reply_category == "A"


def test_extension_is_asked_once_told_to_the_representative_and_decided():
    """The unit asks once, with a reason the representative is told by SMS; approved,
    the reply is due six months after assignment; a second request is refused."""
    w = make_suggestion_world()
    suggestion = _prepare(w, "extension")
    assert suggestion.extension == "requested"
    from liaison.base.notifications.models import Notification

    told = Notification.objects.get(
        kind="suggestion_extension",
        channel="sms",
        recipient_key=f"representative:{w.representative.pk}",
    )
    assert "需要招标" in told.body
    services.suggestion_approve_extension(suggestion_id=suggestion.pk, actor=w.users["committee"])
    suggestion.refresh_from_db()
    assert suggestion.deadline_explanation["months"] == 6
    assert suggestion.deadline_explanation["rule"] == "suggestion_extended"
    with pytest.raises(services.IllegalTransition):
        services.suggestion_request_extension(
            suggestion_id=suggestion.pk, actor=w.users["lead_unit"], reason="再延"
        )


@frozen()
def test_misrouted_suggestion_is_sent_back_and_reassigned():
    """The lead unit sends it back with a reason; the committee assigns it to the right
    unit, and the first unit no longer sees it as theirs."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.ASSIGNED)
    with pytest.raises(ValidationError):
        services.suggestion_send_back(
            suggestion_id=suggestion.pk, actor=w.users["lead_unit"], reason=""
        )
    services.suggestion_send_back(
        suggestion_id=suggestion.pk, actor=w.users["lead_unit"], reason="属于交通部门职责"
    )
    suggestion.refresh_from_db()
    assert (suggestion.step, suggestion.lead_unit) == (S.ACCEPTED, None)
    assert not SuggestionCoUnit.objects.filter(suggestion=suggestion).exists()
    assert suggestion.events.last().note == "属于交通部门职责"
    services.suggestion_assign(
        suggestion_id=suggestion.pk, actor=w.users["committee"], lead_unit=w.other_unit
    )
    suggestion.refresh_from_db()
    assert suggestion.lead_unit == w.other_unit
    with pytest.raises(services.NotAllowed):
        services.suggestion_start(
            suggestion_id=suggestion.pk,
            actor=w.users["lead_unit"],
            handler_name="x",
            plan="y",
            planned_reply_date=timezone.localdate(),
        )


def test_co_unit_sends_its_opinion_once():
    """A co-unit's opinion is recorded with whether it was on time; a second is refused."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.HANDLING)
    services.suggestion_counit_opinion(
        suggestion_id=suggestion.pk, actor=w.users["co_unit"], opinion="建议同步实施排水改造"
    )
    row = SuggestionCoUnit.objects.get(suggestion=suggestion)
    assert row.opinion and row.opinion_at and row.opinion_by == w.users["co_unit"]
    assert suggestion.events.last().data["on_time"] is True
    with pytest.raises(services.IllegalTransition):
        services.suggestion_counit_opinion(
            suggestion_id=suggestion.pk, actor=w.users["co_unit"], opinion="再补充"
        )


def test_start_fixes_handler_plan_and_date_and_texts_the_representative():
    """三定 with a reply date within the deadline; the signers get an SMS before
    handling starts (办前有短信提醒), and another when the reply comes."""
    from liaison.base.notifications.models import Notification

    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.ASSIGNED, joint=True)
    with pytest.raises(ValidationError) as error:
        services.suggestion_start(
            suggestion_id=suggestion.pk,
            actor=w.users["lead_unit"],
            handler_name="",
            plan="",
            planned_reply_date=suggestion.deadline + dt.timedelta(days=1),
            handler_phone="12",
        )
    assert set(error.value.message_dict) == {
        "handler_name",
        "plan",
        "planned_reply_date",
        "handler_phone",
    }
    services.suggestion_start(
        suggestion_id=suggestion.pk,
        actor=w.users["lead_unit"],
        handler_name="王科长",
        plan="调研后实施",
        planned_reply_date=suggestion.deadline,
        handler_phone="0731-84012345",
    )
    sms = Notification.objects.filter(kind="suggestion_started", channel="sms")
    assert {n.address for n in sms} == {w.representative.private_phone, w.co_signer.private_phone}
    assert all("王科长" in n.body for n in sms)
    services.suggestion_reply(
        suggestion_id=suggestion.pk, actor=w.users["lead_unit"], category="A", text="好"
    )
    assert Notification.objects.filter(kind="suggestion_replied", channel="sms").count() == 2


@frozen()
def test_contacts_before_during_and_after():
    """三访: each contact keeps stage, way and date; a future date or a made-up stage is a
    field error."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.HANDLING)
    for stage in ("before", "during"):
        services.suggestion_record_contact(
            suggestion_id=suggestion.pk,
            actor=w.users["lead_unit"],
            stage=stage,
            way="phone",
            on=timezone.localdate(),
            note="沟通办理方案",
        )
    with pytest.raises(ValidationError) as error:
        services.suggestion_record_contact(
            suggestion_id=suggestion.pk,
            actor=w.users["lead_unit"],
            stage="someday",
            way="phone",
            on=timezone.localdate() + dt.timedelta(days=1),
            note="",
        )
    assert set(error.value.message_dict) == {"stage", "on", "note"}
    assert suggestion.contacts.count() == 2


@frozen()
def test_a_case_turned_into_a_suggestion_is_answered_through_the_case_flow():
    """The committee turns a case into a suggestion; the representative files it from
    the case; when the unit answers the suggestion, the case is replied with the same
    text and result, as the unit's move in the case history."""
    from suggestions.cases import services as case_services

    w = make_suggestion_world()
    case = case_at(w.world, Step.REGISTERED, authority="county")
    case_services.case_to_suggestion(case_id=case.pk, actor=w.users["committee"])
    suggestion = filed(w, source_case_id=case.pk)
    assert suggestion.source == "case" and suggestion.source_case_id == case.pk
    with pytest.raises(ValidationError):
        filed(w, source_case_id=case.pk)
    services.suggestion_accept(suggestion_id=suggestion.pk, actor=w.users["committee"])
    services.suggestion_assign(
        suggestion_id=suggestion.pk, actor=w.users["committee"], lead_unit=w.unit
    )
    services.suggestion_start(
        suggestion_id=suggestion.pk,
        actor=w.users["lead_unit"],
        handler_name="王科长",
        plan="调研",
        planned_reply_date=timezone.localdate() + dt.timedelta(days=3),
    )
    services.suggestion_reply(
        suggestion_id=suggestion.pk, actor=w.users["lead_unit"], category="B", text="已列入计划"
    )
    case = Case.objects.get(pk=case.pk)
    assert (case.step, case.result, case.reply) == (Step.FOLLOW_UP, "in_progress", "已列入计划")
    assert case.public_reply == "已列入计划" and case.deadline
    assert case.events.last().actor == w.users["lead_unit"]


def test_a_case_not_turned_into_a_suggestion_is_no_source():
    """Only a case the committee turned into a suggestion may be linked."""
    w = make_suggestion_world()
    case = case_at(w.world, Step.HANDLING)
    with pytest.raises(ValidationError) as error:
        filed(w, source_case_id=case.pk)
    assert "source_case" in error.value.message_dict


@frozen()
def test_excellent_selection_is_limited_and_committee_only():
    """Up to ten published suggestions of the congress and year; a new selection
    replaces the old; others may not select."""
    w = make_suggestion_world()
    picks = []
    for _ in range(2):
        s = suggestion_at(w, S.CLOSED)
        services.suggestion_publish(suggestion_id=s.pk, actor=w.users["committee"])
        picks.append(s)
    unpublished = suggestion_at(w, S.CLOSED)
    year = timezone.localdate().year
    region = w.representative.region_id
    with pytest.raises(services.NotAllowed):
        services.suggestions_select_excellent(
            actor=w.users["lead_unit"], region_code=region, year=year, suggestion_ids=[picks[0].pk]
        )
    with pytest.raises(ValidationError):
        services.suggestions_select_excellent(
            actor=w.users["committee"],
            region_code=region,
            year=year,
            suggestion_ids=[unpublished.pk],
        )
    with pytest.raises(ValidationError):
        services.suggestions_select_excellent(
            actor=w.users["committee"],
            region_code=region,
            year=year,
            suggestion_ids=list(range(11)),
        )
    services.suggestions_select_excellent(
        actor=w.users["committee"], region_code=region, year=year, suggestion_ids=[picks[0].pk]
    )
    services.suggestions_select_excellent(
        actor=w.users["committee"], region_code=region, year=year, suggestion_ids=[picks[1].pk]
    )
    assert list(Suggestion.objects.filter(excellent=True)) == [picks[1]]
