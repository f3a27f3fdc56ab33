import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from liaison.base.models import JurisdictionSettings
from liaison.base.notifications.delivery import notifications_deliver
from liaison.base.notifications.models import Channel, Notification, NotificationStatus
from stations.models import ReceptionNotice, ReceptionStatus
from stations.notices import reception_notices_send
from stations.services import (
    ReceptionDayError,
    reception_day_cancel,
    reception_day_unpublish,
)
from tests.factories import representative_user
from tests.reception_factories import published_day, staffed_station

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = dt.date(2026, 10, 15)  # a Thursday after the National Day week


def at(date: dt.date, hour: int = 7, minute: int = 30):
    return time_machine.travel(
        dt.datetime(date.year, date.month, date.day, hour, minute, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture
def day():
    station, reps = staffed_station("official", "grassroots")
    reps[0].email = "official@example.org"
    reps[0].public_phone = "0731-84001234"
    reps[0].work_unit = "县发展和改革局"
    reps[0].save()
    representative_user(reps[1])
    return published_day(station, reps, DAY)


def test_five_day_notice_for_15_october_goes_out_on_9_october(day):
    """5 working days before 2026-10-15 is 2026-10-09: the make-up Saturday 10-10 counts."""
    assert day.notice_date == dt.date(2026, 10, 9)
    with at(dt.date(2026, 10, 8)):
        assert reception_notices_send() == 0
    assert not Notification.objects.exists()
    with at(dt.date(2026, 10, 9)):
        assert reception_notices_send() == 1
    day.refresh_from_db()
    assert day.noticed_at is not None
    channels = sorted(Notification.objects.values_list("channel", flat=True))
    # official: SMS + email; grassroots: SMS + in-app.
    assert channels == sorted([Channel.SMS, Channel.EMAIL, Channel.SMS, Channel.IN_APP])
    assert ReceptionNotice.objects.filter(reception_day=day).exists()


def test_three_day_rule_sends_on_the_third_working_day_before():
    """Under 辰溪's 3-day rule the notice for Thursday 10-15 goes out on Monday 10-12."""
    station, reps = staffed_station("official")
    JurisdictionSettings.objects.create(region_id="430121000000", notice_lead_workdays=3)
    day = published_day(station, reps, DAY, lead=3)
    assert day.notice_date == dt.date(2026, 10, 12)
    with at(dt.date(2026, 10, 10)):
        assert reception_notices_send() == 0
    with at(dt.date(2026, 10, 12)):
        assert reception_notices_send() == 1


def test_missed_notice_date_is_caught_up_but_not_after_the_day(day):
    """The scheduler was down on the notice date: the next sweep sends; after the day, nothing."""
    with at(dt.date(2026, 10, 13)):
        assert reception_notices_send() == 1
    station, reps = staffed_station("grassroots")
    late = published_day(station, reps, dt.date(2026, 10, 14))
    with at(dt.date(2026, 10, 15)):
        assert reception_notices_send() == 0
    late.refresh_from_db()
    assert late.noticed_at is None


def test_two_sweeps_in_a_row_send_nothing_twice(day, sms_gateway):
    """Sweep, deliver, sweep and deliver again: one SMS and one email per recipient."""
    with at(dt.date(2026, 10, 9)):
        assert reception_notices_send() == 1
        notifications_deliver()
        assert reception_notices_send() == 0
        notifications_deliver()
    assert Notification.objects.count() == 4
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}
    assert len(sms_gateway.requests) == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["official@example.org"]


def test_public_notice_names_units_and_public_phones_never_private_ones(day):
    """The announcement is published: names, units, public phones; no private phone."""
    with at(dt.date(2026, 10, 9)):
        reception_notices_send()
    text = ReceptionNotice.objects.get(reception_day=day).text
    official, grassroots = (duty.representative for duty in day.duties.order_by("-kind"))
    assert official.name in text and grassroots.name in text
    assert "县发展和改革局" in text and "0731-84001234" in text
    assert official.private_phone not in text and grassroots.private_phone not in text
    assert "便民服务中心二楼" in text and "09:00" in text


def test_sms_goes_to_the_private_phone_of_each_representative_about_their_own_day(day):
    with at(dt.date(2026, 10, 9)):
        reception_notices_send()
    sms = Notification.objects.filter(channel=Channel.SMS)
    phones = set(day.duties.values_list("representative__private_phone", flat=True))
    assert set(sms.values_list("address", flat=True)) == phones
    assert all("2026-10-15" in body for body in sms.values_list("body", flat=True))


def test_unpublishing_after_the_notice_is_refused_and_cancelling_tells_those_on_duty(day):
    """Once noticed, a day can only be cancelled: the notice is withdrawn, reps are told."""
    with at(dt.date(2026, 10, 9)):
        reception_notices_send()
    with pytest.raises(ReceptionDayError):
        reception_day_unpublish(actor=None, day=day)
    with pytest.raises(ReceptionDayError):
        reception_day_cancel(actor=None, day=day, reason="  ")
    reception_day_cancel(actor=None, day=day, reason="台风预警")
    day.refresh_from_db()
    assert day.status == ReceptionStatus.CANCELLED
    assert ReceptionNotice.objects.get(reception_day=day).withdrawn_at is not None
    cancelled = Notification.objects.filter(kind="reception_cancelled")
    assert cancelled.filter(channel=Channel.SMS).count() == 2
    assert all("台风预警" in body for body in cancelled.values_list("body", flat=True))


def test_a_day_without_anyone_on_duty_cannot_be_published():
    from stations.models import ReceptionDay
    from stations.services import reception_day_publish

    station, _ = staffed_station("official")
    empty = ReceptionDay.objects.create(station=station, date=DAY)
    with pytest.raises(ReceptionDayError):
        reception_day_publish(actor=None, day=empty, today=dt.date(2026, 9, 1))


def test_in_app_notice_reaches_the_representatives_login(day):
    """A representative with a login finds the notice in the app once delivered."""
    with at(dt.date(2026, 10, 9)):
        reception_notices_send()
        notifications_deliver()
    in_app = Notification.objects.get(channel=Channel.IN_APP)
    grassroots = day.duties.get(kind="grassroots").representative
    assert in_app.user == grassroots.user
    assert in_app.status == NotificationStatus.SENT
