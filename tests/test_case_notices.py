"""Every move of the case flow tells its audience through the outbox, after commit, once."""

import pytest

from liaison.base.notifications.models import Channel, Notification, NotificationKind
from suggestions.cases import notices, services
from suggestions.models import CaseEvent, Step
from tests.case_world import case_at, make_world, received

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_world()
    world.users["lead_unit"].email = "clerk@example.org"
    world.users["lead_unit"].save()
    world.unit.contact_phone = "0731-84012345"
    world.unit.save()
    return world


def keys(**filters) -> set[tuple[str, str]]:
    rows = Notification.objects.filter(kind=NotificationKind.CASE_CHANGED, **filters)
    return set(rows.values_list("recipient_key", "channel"))


def user_key(user) -> str:
    return f"user:{user.pk}"


def test_a_referral_tells_the_lead_unit_and_co_units_not_the_actor(
    world, django_capture_on_commit_callbacks
):
    """Referred by letter: the lead unit's clerk (in-app, email), the unit's contact phone
    (SMS) and the co-unit's clerk hear of it; the committee member who referred it does not."""
    case = case_at(world, Step.REGISTERED)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_refer_by_letter(
            case_id=case.pk,
            actor=world.users["committee"],
            unit=world.unit,
            co_units=[world.co_unit],
        )
    assert keys(subject_id=case.pk) == {
        (user_key(world.users["lead_unit"]), Channel.IN_APP),
        (user_key(world.users["lead_unit"]), Channel.EMAIL),
        (f"unit:{world.unit.pk}", Channel.SMS),
        (user_key(world.users["co_unit"]), Channel.IN_APP),
    }
    in_app = Notification.objects.get(user=world.users["lead_unit"], channel=Channel.IN_APP)
    assert case.tracking_code in in_app.title and world.station.name in in_app.body


def test_a_received_case_tells_the_township_and_county_committees(
    world, django_capture_on_commit_callbacks
):
    """A new case reaches the committees that sort it, without the constituent's data."""
    with django_capture_on_commit_callbacks(execute=True):
        case = received(world)
    assert keys(subject_id=case.pk) == {
        (user_key(world.users["township_committee"]), Channel.IN_APP),
        (user_key(world.users["committee"]), Channel.IN_APP),
    }
    for title, body in Notification.objects.values_list("title", "body"):
        assert "张三" not in title + body and "13812345678" not in title + body


def test_a_reply_tells_the_liaison_and_the_representative_who_received_the_visit(
    world, django_capture_on_commit_callbacks
):
    """回复: the station's liaison and the receiving representative (SMS to their phone, in-app)."""
    case = case_at(world, Step.HANDLING)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_reply(
            case_id=case.pk,
            actor=world.users["lead_unit"],
            result="solved",
            reply="已修复",
            public_reply="已修复",
        )
    rep = world.representative
    assert keys(subject_id=case.pk) == {
        (user_key(world.users["liaison"]), Channel.IN_APP),
        (f"representative:{rep.pk}", Channel.SMS),
        (f"representative:{rep.pk}", Channel.IN_APP),
    }
    sms = Notification.objects.get(
        kind=NotificationKind.CASE_CHANGED, channel=Channel.SMS, subject_id=case.pk
    )
    assert sms.address == rep.private_phone


def test_the_same_move_is_written_once(world, django_capture_on_commit_callbacks):
    """Running the hook again for the same event (a retry) adds no row."""
    case = case_at(world, Step.REGISTERED)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_assign_on_spot(case_id=case.pk, actor=world.users["liaison"], unit=world.unit)
    event = CaseEvent.objects.filter(case=case).last()
    count = Notification.objects.count()
    notices.notify_case_changed(case_id=case.pk, transition="assign_on_spot", event_id=event.pk)
    assert Notification.objects.count() == count > 0


def test_a_second_supervision_is_a_second_notice(world, django_capture_on_commit_callbacks):
    """Each move is its own occasion: two supervisions, two notices to the unit's clerk."""
    case = case_at(world, Step.HANDLING)
    with django_capture_on_commit_callbacks(execute=True):
        for note in ("请加快办理", "召开协调会"):
            services.case_supervise(case_id=case.pk, actor=world.users["committee"], note=note)
    clerk = world.users["lead_unit"]
    assert Notification.objects.filter(user=clerk, channel=Channel.IN_APP).count() == 2


def test_a_failing_outbox_never_blocks_the_move(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    """If writing the notices fails, the move is still recorded and its event kept."""

    def broken(**kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(notices, "notifications_enqueue", broken)
    case = case_at(world, Step.HANDLING)
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.case_supervise(
            case_id=case.pk, actor=world.users["committee"], note="督办"
        )
    moved.refresh_from_db()
    assert moved.step == Step.SUPERVISING
    assert moved.events.filter(kind="supervise").exists()
    assert not Notification.objects.filter(kind=NotificationKind.CASE_CHANGED).exists()


def test_moves_without_an_audience_write_nothing(world, django_capture_on_commit_callbacks):
    """Registering is the liaison's own bookkeeping: nobody is notified."""
    case = case_at(world, Step.RECEIVED)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_register(
            case_id=case.pk,
            actor=world.users["liaison"],
            category=world.category,
            authority="township",
        )
    assert not Notification.objects.filter(subject_id=case.pk).exists()


def test_notices_are_in_the_sites_language_whatever_the_actors(
    world, django_capture_on_commit_callbacks
):
    """A committee member working in English still sends the unit a Chinese notice."""
    from django.utils import translation

    case = case_at(world, Step.HANDLING)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.case_supervise(case_id=case.pk, actor=world.users["committee"], note="督办")
    notice = Notification.objects.get(user=world.users["lead_unit"], channel=Channel.IN_APP)
    assert "督办" in notice.title and "联络站" in notice.body
