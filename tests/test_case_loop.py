"""Closing the loop with the constituent: the SMS when a reply comes and when the case is
closed, the constituent's own rating (once; 不满意 reopens), the committee's edit of the
reply, send-back (退单) within its window, follow-up of a reply "being solved", closing
only when solved or concluded, the call-back sample, and what each authority allows."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from liaison.base.models import JurisdictionSettings
from liaison.base.notifications.models import Notification, NotificationKind
from suggestions.cases import callbacks, selectors, services, sweeps
from suggestions.cases.flow import CASES
from suggestions.models import (
    Case,
    CaseCallback,
    CaseRating,
    RatingSource,
    Step,
)
from tests.case_world import COUNTY, case_at, make_world
from tests.clock import frozen, moment
from tests.factories import HandlingUnitFactory, region

pytestmark = [pytest.mark.django_db, frozen(dt.date(2026, 11, 25))]


def _to_constituent(case) -> list[Notification]:
    return list(
        Notification.objects.filter(
            kind=NotificationKind.CASE_TO_CONSTITUENT, subject_id=case.pk
        ).order_by("pk")
    )


# THE SMS TO THE CONSTITUENT


def test_reply_and_archive_each_send_one_sms_with_the_code_and_link(
    django_capture_on_commit_callbacks, settings
):
    """The reply and the close-off each send the constituent one SMS, to their own phone,
    with the tracking code and the status link, and no name."""
    settings.PUBLIC_SITE_URL = "https://lianluo.example.cn"
    world = make_world()
    with django_capture_on_commit_callbacks(execute=True):
        case = case_at(world, Step.ARCHIVED)
    sms = _to_constituent(case)
    assert [s.address for s in sms] == ["13812345678", "13812345678"]
    link = f"https://lianluo.example.cn/cases/status/?code={case.tracking_code}"
    assert all(link in s.body and "张三" not in s.body for s in sms)
    assert "答复" in sms[0].body and "销号" in sms[1].body


def test_the_sms_of_a_move_is_written_once(django_capture_on_commit_callbacks):
    """Notifying the same move again writes no second SMS (the outbox's unique key)."""
    from suggestions.cases.notices import notify_case_changed

    world = make_world()
    with django_capture_on_commit_callbacks(execute=True):
        case = case_at(world, Step.REPLIED)
    event = case.events.get(kind="reply")
    notify_case_changed(case_id=case.pk, transition="reply", event_id=event.pk)
    assert len(_to_constituent(case)) == 1


def test_a_follow_up_reply_tells_the_next_date(django_capture_on_commit_callbacks):
    world = make_world()
    with django_capture_on_commit_callbacks(execute=True):
        case = case_at(world, Step.FOLLOW_UP)
    (sms,) = _to_constituent(case)
    assert case.deadline.isoformat() in sms.body


# THE CONSTITUENT'S RATING


def test_the_constituent_rates_once_and_unsatisfied_reopens_the_case():
    """满意 moves the case to feedback; a second rating of the same reply is refused;
    不满意 after the next reply sends the case back to its unit with a new deadline."""
    world = make_world()
    case = case_at(world, Step.REPLIED)
    case = services.case_rate(case_id=case.pk, satisfaction="unsatisfied", comment="还是不亮")
    assert case.step == Step.HANDLING and case.reopen_count == 1
    assert case.deadline_explanation["rule"] == "rehandle" and case.lead_unit == world.unit
    assert [e.kind for e in case.events.order_by("pk")][-2:] == ["rate", "reopen_on_rating"]
    rating = CaseRating.objects.get(case=case)
    assert (rating.source, rating.round, rating.comment) == ("constituent", 0, "还是不亮")
    services.case_reply(
        case_id=case.pk,
        actor=world.users["lead_unit"],
        result="solved",
        reply="更换了灯具",
        public_reply="已更换灯具。",
    )
    case = services.case_rate(case_id=case.pk, satisfaction="satisfied")
    assert case.step == Step.FEEDBACK and case.satisfaction == "satisfied"
    with pytest.raises(services.IllegalTransition):
        services.case_rate(case_id=case.pk, satisfaction="unsatisfied")
    assert CaseRating.objects.filter(case=case, source="constituent").count() == 2
    services.case_archive(case_id=case.pk, actor=world.users["committee"])


def test_bad_rating_input_is_a_field_error():
    world = make_world()
    case = case_at(world, Step.REPLIED)
    with pytest.raises(ValidationError) as error:
        services.case_rate(case_id=case.pk, satisfaction="great", comment="好\x07")
    assert set(error.value.message_dict) == {"satisfaction", "comment"}
    assert not CaseRating.objects.exists()


def test_the_committee_edits_the_reply_only_until_it_is_rated():
    world = make_world()
    case = case_at(world, Step.REPLIED)
    committee = world.users["committee"]
    case = services.case_edit_public_reply(
        case_id=case.pk, actor=committee, public_reply="村口三盏路灯均已修复。"
    )
    assert case.public_reply == "村口三盏路灯均已修复。"
    assert case.events.last().data["previous"] == "村口路灯已修复。"
    services.case_rate(case_id=case.pk, satisfaction="basic")
    case.refresh_from_db()
    assert "edit_public_reply" not in {t.name for t in CASES.available(committee, case)}
    with pytest.raises(services.IllegalTransition):
        services.case_edit_public_reply(case_id=case.pk, actor=committee, public_reply="改")


def test_ratings_are_kept_apart_by_source():
    """The liaison's feedback and the constituent's rating are two rows; the figures say
    whose each is."""
    world = make_world()
    case = case_at(world, Step.FEEDBACK)
    services.case_rate(case_id=case.pk, satisfaction="basic")
    rows = dict(CaseRating.objects.filter(case=case).values_list("source", "satisfaction"))
    assert rows == {"liaison": "satisfied", "constituent": "basic"}
    figures = selectors.loop_figures(user=world.users["committee"])
    assert figures["ratings"]["liaison"]["satisfied"] == 1
    assert figures["ratings"]["constituent"]["basic"] == 1


# SEND-BACK (退单)


@frozen(dt.date(2026, 11, 23))  # a Monday
def test_send_back_within_the_window_and_not_after(time_machine):
    """The lead unit sends a misrouted case back within 3 working days of assignment; the
    committee assigns it again and the new unit's deadline starts from then; the unit's
    figures count the return. After the window the move is refused."""
    world = make_world()
    case = case_at(world, Step.HANDLING)
    assert case.send_back_until == dt.date(2026, 11, 26)
    unit = world.users["lead_unit"]
    time_machine.move_to(moment(dt.date(2026, 11, 26), dt.time(16)))
    case = services.case_send_back(case_id=case.pk, actor=unit, reason="应由交通局办理")
    assert (case.step, case.lead_unit, case.disposition) == (Step.REGISTERED, None, "")
    assert not case.co_units.exists()
    time_machine.move_to(moment(dt.date(2026, 11, 30)))
    case = services.case_refer_by_letter(
        case_id=case.pk, actor=world.users["committee"], unit=world.other_unit
    )
    assert case.deadline_explanation["start"] == "2026-11-30"
    assert case.send_back_until == dt.date(2026, 12, 3)
    figures = selectors.loop_figures(user=world.users["committee"])
    assert figures["returns"] == {world.unit.pk: 1}

    late = case_at(world, Step.HANDLING)
    time_machine.move_to(moment(dt.date(2026, 12, 4)))
    assert "send_back" not in {t.name for t in CASES.available(unit, late)}
    with pytest.raises(services.IllegalTransition):
        services.case_send_back(case_id=late.pk, actor=unit, reason="不是我们的")


# FOLLOW-UP


def test_a_case_being_solved_is_followed_up_reminded_and_escalated():
    """Replied "being solved": under follow-up, due on the date given, reminded before it
    and escalated after it like any deadline, until replied solved."""
    world = make_world()
    case = case_at(world, Step.FOLLOW_UP)
    assert case.deadline == dt.date(2026, 12, 25) and case.next_sweep_on
    assert sweeps.cases_due_soon_remind(today=dt.date(2026, 12, 22)) == 1
    assert sweeps.cases_due_soon_remind(today=dt.date(2026, 12, 22)) == 0
    assert sweeps.cases_escalate(today=dt.date(2026, 12, 28)) == 1
    case.refresh_from_db()
    assert (case.step, case.escalation_level) == (Step.SUPERVISING, 1)
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["reply_in_progress", "remind_due_soon", "escalate"]
    case = services.case_reply(
        case_id=case.pk,
        actor=world.users["lead_unit"],
        result="solved",
        reply="施工完毕",
        public_reply="路灯已修好。",
    )
    assert case.step == Step.REPLIED and case.deadline is None and case.next_sweep_on is None


def test_a_follow_up_needs_a_date_after_today():
    world = make_world()
    case = case_at(world, Step.HANDLING)
    with pytest.raises(ValidationError) as error:
        services.case_reply_in_progress(
            case_id=case.pk,
            actor=world.users["lead_unit"],
            reply="计划中",
            public_reply="计划中",
            next_reply_on=dt.date(2026, 11, 25),
        )
    assert set(error.value.message_dict) == {"next_reply_on"}
    with pytest.raises(ValidationError):
        services.case_reply(
            case_id=case.pk,
            actor=world.users["lead_unit"],
            result="in_progress",
            reply="计划中",
            public_reply="计划中",
        )


# CLOSING (销号)


def test_a_case_not_solved_is_closed_only_with_the_committees_conclusion():
    world = make_world()
    committee = world.users["committee"]
    case = case_at(world, Step.FOLLOW_UP)
    case = services.case_conclude(
        case_id=case.pk, actor=committee, conclusion="需列入县级规划，目前无法解决。"
    )
    assert case.step == Step.REPLIED and case.deadline is None
    assert case.concluded_by == committee and case.concluded_at
    services.case_feedback(
        case_id=case.pk, actor=world.users["liaison"], satisfaction="basic", note="已告知"
    )
    services.case_archive(case_id=case.pk, actor=committee)

    cannot = case_at(world, Step.HANDLING)
    services.case_reply(
        case_id=cannot.pk,
        actor=world.users["lead_unit"],
        result="cannot",
        reply="无资金",
        public_reply="暂无资金。",
    )
    services.case_feedback(
        case_id=cannot.pk, actor=world.users["liaison"], satisfaction="basic", note="已告知"
    )
    with pytest.raises(services.IllegalTransition):
        services.case_archive(case_id=cannot.pk, actor=committee)
    with pytest.raises(ValidationError):
        services.case_conclude(case_id=cannot.pk, actor=committee, conclusion=" ")
    services.case_conclude(case_id=cannot.pk, actor=committee, conclusion="列入明年预算")
    assert services.case_archive(case_id=cannot.pk, actor=committee).step == Step.ARCHIVED


# CALL-BACK (回访)


def _percent(value: int) -> None:
    JurisdictionSettings.objects.update_or_create(
        region=region(COUNTY), defaults={"case_callback_percent": value}
    )


def test_the_call_back_sample_picks_each_case_once_and_catches_up():
    """At 100 % every replied case is picked once; a second run picks nothing; cases
    replied while the sweep was stopped are picked on its next run."""
    _percent(100)
    world = make_world()
    first = case_at(world, Step.REPLIED)
    assert first.callback_on == dt.date(2026, 11, 25)
    assert callbacks.cases_callback_sample(today=dt.date(2026, 11, 25)) == 1
    assert callbacks.cases_callback_sample(today=dt.date(2026, 11, 25)) == 0
    # Stopped for days: both cases replied meanwhile are picked on the next run.
    second, third = case_at(world, Step.REPLIED), case_at(world, Step.FEEDBACK)
    assert callbacks.cases_callback_sample(today=dt.date(2026, 12, 2)) == 2
    assert set(CaseCallback.objects.values_list("case_id", flat=True)) == {
        first.pk,
        second.pk,
        third.pk,
    }
    assert not Case.objects.filter(callback_on__isnull=False).exists()
    assert first.events.filter(kind="sample_callback").count() == 1


def test_a_zero_rate_samples_nothing_and_the_sample_is_stable():
    _percent(0)
    world = make_world()
    case = case_at(world, Step.REPLIED)
    assert callbacks.cases_callback_sample(today=dt.date(2026, 11, 25)) == 0
    case.refresh_from_db()
    assert case.callback_on is None and not CaseCallback.objects.exists()
    codes = [f"ABCD-EFGH-{a}{b}" for a in "23456789" for b in "ABCDEFGH"]
    assert [callbacks.in_sample(c, 30) for c in codes] == [
        callbacks.in_sample(c, 30) for c in codes
    ]
    assert 5 < sum(callbacks.in_sample(c, 30) for c in codes) < 35


def test_the_clerk_records_the_call_back_before_the_case_is_closed():
    _percent(100)
    world = make_world()
    committee = world.users["committee"]
    case = case_at(world, Step.FEEDBACK)
    callbacks.cases_callback_sample(today=dt.date(2026, 11, 25))
    with pytest.raises(services.IllegalTransition):
        services.case_archive(case_id=case.pk, actor=committee)
    with pytest.raises(ValidationError):
        services.case_record_callback(case_id=case.pk, actor=committee, reached=True)
    services.case_record_callback(
        case_id=case.pk, actor=committee, reached=True, satisfaction="basic", comment="基本满意"
    )
    assert CaseRating.objects.get(case=case, source=RatingSource.CALLBACK).satisfaction == "basic"
    assert CaseCallback.objects.get(case=case).reached is True
    assert selectors.callbacks_to_make(user=committee).count() == 0
    services.case_archive(case_id=case.pk, actor=committee)


# WHAT EACH AUTHORITY ALLOWS


def test_a_county_matter_goes_to_a_suggestion_or_a_county_unit_only():
    world = make_world()
    case = case_at(world, Step.REGISTERED, authority="county")
    liaison = world.users["liaison"]
    offered = {t.name for t in CASES.available(world.users["committee"], case)}
    assert offered >= {"refer_by_letter", "to_suggestion"}
    assert not offered & {"assign_on_spot", "report_to_township", "answer_consultation"}
    with pytest.raises(services.IllegalTransition):
        services.case_assign_on_spot(case_id=case.pk, actor=liaison, unit=world.unit)
    township_unit = HandlingUnitFactory(region=region("430121001000", "星沙街道"))
    with pytest.raises(ValidationError) as error:
        services.case_refer_by_letter(case_id=case.pk, actor=liaison, unit=township_unit)
    assert set(error.value.message_dict) == {"unit"}
    case = services.case_refer_by_letter(case_id=case.pk, actor=liaison, unit=world.unit)
    assert case.step == Step.HANDLING
    # A township matter may still go to the township's own department.
    township_case = case_at(world, Step.REGISTERED)
    services.case_assign_on_spot(case_id=township_case.pk, actor=liaison, unit=township_unit)


# THE COMMITTEE'S PAGE


def test_the_committee_sets_the_sample_and_sees_calls_and_figures(client):
    """The call-back page: the committee sets its region's sample, lists the calls to make
    in a constant number of queries, and reads ratings by source and returns by unit."""
    world = make_world()
    committee = world.users["committee"]
    client.force_login(committee)
    response = client.post(
        "/staff/callbacks/", {"region_code": COUNTY, "percent": "100"}, follow=True
    )
    assert response.status_code == 200
    assert JurisdictionSettings.objects.get(region_id=COUNTY).case_callback_percent == 100
    bad = client.post("/staff/callbacks/", {"region_code": COUNTY, "percent": "101"})
    assert bad.status_code == 400
    other = client.post("/staff/callbacks/", {"region_code": "430181000000", "percent": "5"})
    assert other.status_code == 400  # not one of the committee's regions
    for _ in range(3):
        case_at(world, Step.FEEDBACK)
    callbacks.cases_callback_sample(today=dt.date(2026, 11, 25))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as three:
        page = client.get("/staff/callbacks/")
    assert page.content.decode().count("/staff/cases/") >= 3
    case_at(world, Step.FEEDBACK)
    callbacks.cases_callback_sample(today=dt.date(2026, 11, 26))
    with CaptureQueriesContext(connection) as four:
        client.get("/staff/callbacks/")
    assert len(four) == len(three)
    assert "联络员反馈" in page.content.decode()
    client.force_login(world.users["liaison"])
    assert client.get("/staff/callbacks/").status_code == 404
