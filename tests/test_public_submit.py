"""The online opinion form: a constituent's opinion becomes an online visit and a case
at the chosen station, with a tracking code, a deadline and one SMS to their own phone."""

import pytest

from liaison.base.notifications.models import Channel, Notification, NotificationKind
from stations.models import Visit, VisitChannel
from suggestions.cases.online import station_for_region
from suggestions.models import Case, CaseEvent, Step
from tests.factories import StationFactory, region
from tests.public_helpers import category, fresh_cache, opinion  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def test_submission_creates_an_online_visit_and_a_received_case(client):
    station = StationFactory(name="星沙街道联络站")
    response = client.post("/cases/submit/", opinion(station))
    assert response.status_code == 200
    case = Case.objects.get()
    page = response.content.decode()
    assert case.tracking_code in page
    assert case.deadline.isoformat() in page
    assert case.step == Step.RECEIVED
    assert case.station == station
    assert case.category == category()
    assert case.created_by is None
    visit = case.visit
    assert visit.channel == VisitChannel.ONLINE
    assert visit.constituent_name == "王小明"
    assert visit.recorded_by is None
    event = CaseEvent.objects.get(case=case)
    assert (event.kind, event.actor) == ("receive", None)
    # The confirmation page shows the code but never the name or phone typed.
    assert "王小明" not in page
    assert "13812345678" not in page


def test_confirmation_sms_goes_to_the_constituents_own_phone_only(client):
    station = StationFactory()
    client.post("/cases/submit/", opinion(station, phone="＋86 138 1234 5678"))
    case = Case.objects.get()
    notice = Notification.objects.get()
    assert notice.kind == NotificationKind.CASE_SUBMITTED
    assert notice.channel == Channel.SMS
    assert notice.address == "13812345678"
    assert case.tracking_code in notice.body
    assert "王小明" not in notice.body
    assert notice.recipient_name == ""


def test_full_width_phone_is_normalised(client):
    station = StationFactory()
    client.post("/cases/submit/", opinion(station, phone="１３８１２３４５６７８"))
    assert Visit.objects.get().constituent_phone == "13812345678"


@pytest.mark.parametrize("name", ["𠮷野家", "阿依古丽·买买提", "Anna Müller", "欧阳 娜娜"])
def test_rare_characters_and_middle_dots_in_names_are_accepted(client, name):
    station = StationFactory()
    response = client.post("/cases/submit/", opinion(station, name=name))
    assert response.status_code == 200, response.content.decode()
    assert Visit.objects.get().constituent_name == name


def test_township_alone_routes_to_its_own_station_first(client):
    township = region("430121001000", "星沙街道")
    village_station = StationFactory(name="甲村联络站", region=region("430121001201"))
    street_station = StationFactory(name="星沙街道联络站", region=township)
    assert station_for_region(township) == street_station
    client.post("/cases/submit/", opinion(village_station, station="", region=township.code))
    assert Case.objects.get().station == street_station


def test_township_without_an_own_station_routes_to_the_first_below_it(client):
    township = region("430121002000", "湘龙街道")
    village = StationFactory(name="乙村联络站", region=region("430121002201"))
    client.post("/cases/submit/", opinion(village, station="", region=township.code))
    assert Case.objects.get().station == village


def test_station_is_preselected_from_the_qr_link(client):
    station = StationFactory()
    page = client.get(f"/cases/submit/?station={station.pk}").content.decode()
    assert f'<option value="{station.pk}" selected>' in page


def test_the_form_explains_the_use_of_personal_data_in_both_languages(client):
    zh = client.get("/cases/submit/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    en = client.get("/cases/submit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "个人信息" in zh
    assert "never published" in en


def test_the_console_sms_log_never_holds_the_constituents_phone(client, settings, caplog):
    from liaison.base.notifications.delivery import notifications_deliver

    settings.SMS_BACKEND = "console"
    settings.SMS_FILE_PATH = ""
    client.post("/cases/submit/", opinion(StationFactory()))
    with caplog.at_level("INFO"):
        notifications_deliver()
    assert "138********" in caplog.text
    assert "13812345678" not in caplog.text
    assert "王小明" not in caplog.text
