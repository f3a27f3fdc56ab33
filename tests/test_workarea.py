"""The work area: the message centre, the header's search, the pickers' endpoints and the
attachments, over plain HTTP, with their scope."""

import io

import pytest
from django.test import Client
from PIL import Image

from liaison.base.audit import AuditAction, AuditRecord
from liaison.base.notifications.models import Channel, Notification
from liaison.base.validators import normalize_phone, validate_mobile
from suggestions.models import Step
from tests.case_world import case_at, make_world, received
from workarea.models import Attachment

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _photo(size=(3000, 2000), kind="JPEG") -> io.BytesIO:
    data = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(data, kind)
    data.seek(0)
    data.name = "路灯.jpg" if kind == "JPEG" else "scan.png"
    return data


# THE MESSAGE CENTRE


def test_the_unit_sees_its_assignment_in_the_message_centre_and_opens_the_case(
    django_capture_on_commit_callbacks,
):
    """Referral writes an in-app message to the unit's staff: the header counts it, the list
    links it, opening marks it read and goes to the case."""
    world = make_world()
    with django_capture_on_commit_callbacks(execute=True):
        case = case_at(world, Step.HANDLING)
    client = client_for(world.users["lead_unit"])
    message = Notification.objects.filter(
        user=world.users["lead_unit"], channel=Channel.IN_APP, subject_id=case.pk
    ).first()
    assert message is not None
    home = client.get("/staff/")
    assert 'class="unread-count"' in home.content.decode()
    page = client.get("/staff/messages/")
    assert page.status_code == 200
    assert f"/staff/messages/{message.pk}/" in page.content.decode()
    response = client.get(f"/staff/messages/{message.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/staff/cases/{case.pk}/"
    message.refresh_from_db()
    assert message.read_at is not None
    assert client.get(response["Location"]).status_code == 200


def test_mark_all_read_and_the_unread_filter(django_capture_on_commit_callbacks):
    world = make_world()
    with django_capture_on_commit_callbacks(execute=True):
        case_at(world, Step.HANDLING)
    user = world.users["lead_unit"]
    client = client_for(user)
    assert Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert client.post("/staff/messages/read-all/").status_code == 302
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    page = client.get("/staff/messages/?unread=1")
    assert "unread-count" not in page.content.decode()


def test_another_users_message_is_not_found(django_capture_on_commit_callbacks):
    world = make_world()
    with django_capture_on_commit_callbacks(execute=True):
        case_at(world, Step.HANDLING)
    message = Notification.objects.filter(user=world.users["lead_unit"]).first()
    client = client_for(world.users["other_unit"])
    assert client.get(f"/staff/messages/{message.pk}/").status_code == 404
    assert message.title not in client.get("/staff/messages/").content.decode()


def test_the_message_list_costs_the_same_queries_for_1_or_40_messages(
    django_assert_max_num_queries,
):
    world = make_world()
    user = world.users["committee"]
    client = client_for(user)

    def write(count, start):
        Notification.objects.bulk_create(
            Notification(
                kind="case_changed",
                channel=Channel.IN_APP,
                subject_type="suggestions.case",
                subject_id=n,
                recipient_key=f"user:{user.pk}",
                user=user,
                title=f"消息 {n}",
                body="正文",
                due_date="2026-11-30",
                dedupe_key=f"test:{n}",
            )
            for n in range(start, start + count)
        )

    write(1, 0)
    with django_assert_max_num_queries(12) as one:
        client.get("/staff/messages/")
    write(39, 1)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/staff/messages/")


# SEARCH


def test_a_committee_clerk_finds_a_case_by_code_phone_ending_name_and_chinese_keyword():
    world = make_world()
    case = received(world, title="村口路灯不亮")
    client = client_for(world.users["committee"])
    by_code = client.get("/staff/search/", {"q": case.tracking_code.lower().replace("-", "")})
    assert by_code.status_code == 302 and by_code["Location"] == f"/staff/cases/{case.pk}/"
    for query in ("5678", "138-1234-5678", "+86 138 1234 5678", "张三", "路灯"):
        page = client.get("/staff/search/", {"q": query, "list": "1"})
        assert case.tracking_code in page.content.decode(), query
    # A search by the constituent's phone or name is a read of personal data, in the audit
    # chain; one by a keyword is not.
    reads = AuditRecord.objects.filter(action=AuditAction.READ)
    assert list(reads.order_by("id").values_list("detail", flat=True)) == [
        *["search by phone"] * 3,
        "search by name",
    ]
    assert set(reads.values_list("object_id", flat=True)) == {str([case.pk])}
    assert (
        case.tracking_code
        not in client.get("/staff/search/", {"q": "水管", "list": "1"}).content.decode()
    )


@pytest.mark.parametrize("path", ["/staff/cases/", "/api/v1/cases/"])
def test_a_case_list_filtered_by_phone_or_name_is_audited_as_the_search_is(path):
    world = make_world()
    case = received(world, title="村口路灯不亮")
    client = client_for(world.users["committee"])
    for query in ("5678", "张三", "路灯", case.tracking_code, "13900000000"):
        assert client.get(path, {"q": query}).status_code == 200
    reads = AuditRecord.objects.filter(action=AuditAction.READ)
    where = "case list" if path.startswith("/staff/") else "case API list"
    # The keyword, the code and a phone that finds nothing read no one's data.
    assert list(reads.order_by("id").values_list("detail", flat=True)) == [
        f"{where} by phone",
        f"{where} by name",
    ]
    assert set(reads.values_list("object_id", flat=True)) == {str([case.pk])}


def test_search_stays_in_scope():
    """Another county's committee finds nothing; a unit finds its case by keyword but never
    by the constituent's phone or name, which it may not see."""
    world = make_world()
    case = case_at(world, Step.HANDLING)
    link = f"/staff/cases/{case.pk}/"
    other = client_for(world.users["other_committee"])
    for query in (case.tracking_code, "5678", "路灯"):
        page = other.get("/staff/search/", {"q": query, "list": "1"}).content.decode()
        assert link not in page, query
    unit = client_for(world.users["lead_unit"])
    assert link in unit.get("/staff/search/", {"q": "路灯", "list": "1"}).content.decode()
    for query in ("5678", "张三"):
        assert link not in unit.get("/staff/search/", {"q": query, "list": "1"}).content.decode()


def test_the_case_list_filters_by_q():
    """/staff/cases/?q=<tracking code> lists that case only (it used to list every case)."""
    world = make_world()
    wanted, other = received(world, title="路灯不亮"), received(world, title="水管破裂")
    client = client_for(world.users["committee"])
    page = client.get("/staff/cases/", {"q": wanted.tracking_code}).content.decode()
    assert wanted.tracking_code in page and other.tracking_code not in page
    api = client.get("/api/v1/cases/", {"q": "水管"}).json()
    codes = [row["tracking_code"] for row in api["results"]]
    assert codes == [other.tracking_code]


def test_a_suggestion_is_found_by_its_number():
    from tests.suggestion_world import filed, make_suggestion_world

    world = make_suggestion_world()
    suggestion = filed(world)
    client = client_for(world.users["committee"])
    response = client.get("/staff/search/", {"q": suggestion.number})
    assert response.status_code == 302
    assert response["Location"] == f"/staff/suggestions/{suggestion.pk}/"


# PHONES AS PEOPLE WRITE THEM


@pytest.mark.parametrize(
    "written", ["139-0731-5566", "+86-139-0731-5566", "+86 13907315566", "(139)07315566"]
)
def test_mobile_numbers_in_every_common_written_form(written):
    validate_mobile(written)
    assert normalize_phone(written) == "13907315566"


def test_a_landline_keeps_its_dash():
    assert normalize_phone("0731-84012345") == "0731-84012345"


# PICKERS


def test_pickers_search_by_name_within_scope():
    world = make_world()
    world.unit.name = "县交通运输局"
    world.unit.save()
    committee = client_for(world.users["committee"])
    units = committee.get("/staff/pick/units/", {"q": "交通"}).json()["results"]
    assert [row["value"] for row in units] == [str(world.unit.pk)]
    regions = committee.get("/staff/pick/regions/", {"q": "星沙"}).json()["results"]
    assert [row["value"] for row in regions] == ["430121001000"]
    stations = committee.get("/staff/pick/stations/", {"q": world.station.name[:2]}).json()
    assert str(world.station.pk) in [row["value"] for row in stations["results"]]
    other = client_for(world.users["other_committee"])
    assert other.get("/staff/pick/regions/", {"q": "星沙"}).json()["results"] == []
    assert world.station.name not in other.get("/staff/pick/stations/", {"q": ""}).content.decode()


def test_the_case_page_offers_the_units_of_that_case_only():
    world = make_world()
    case = case_at(world, Step.REGISTERED)
    client = client_for(world.users["committee"])
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert f'data-picker="/staff/pick/units/?case={case.pk}"' in page
    found = client.get("/staff/pick/units/", {"case": case.pk, "q": ""}).json()["results"]
    assert found
    stranger = client_for(world.users["other_committee"])
    assert stranger.get("/staff/pick/units/", {"case": case.pk, "q": ""}).json()["results"] == []


def test_filters_ask_for_names_not_ids():
    """The case list's station, unit and region filters are pickers that show the chosen
    name; no number box and no division code to type."""
    world = make_world()
    client = client_for(world.users["committee"])
    page = client.get(
        "/staff/cases/",
        {"station": world.station.pk, "unit": world.unit.pk, "region": "430121001000"},
    ).content.decode()
    assert 'type="number" name="station"' not in page
    assert 'data-picker="/staff/pick/stations/"' in page
    assert f'<option value="{world.station.pk}" selected>{world.station.name}</option>' in page
    assert '<option value="430121001000" selected>星沙街道</option>' in page


# ATTACHMENTS


def test_a_liaison_attaches_a_photo_to_a_visit_and_only_users_in_scope_may_read_it(settings):
    world = make_world()
    case = received(world)
    client = client_for(world.users["liaison"])
    response = client.post(
        f"/staff/attach/visit/{case.visit_id}/", {"file": _photo()}, follow=False
    )
    assert response.status_code == 302
    attached = Attachment.objects.get()
    assert attached.content_type == "image/jpeg" and attached.name == "路灯.jpg"
    with Image.open(attached.file.open("rb")) as stored:
        assert max(stored.size) == 2000
    url = f"/staff/files/{attached.token}/"
    assert url in client.get(f"/staff/visits/{case.visit_id}/files/").content.decode()
    assert client.get(url).status_code == 200
    assert client_for(world.users["committee"]).get(url).status_code == 200
    for stranger in ("other_liaison", "other_committee", "lead_unit"):
        assert client_for(world.users[stranger]).get(url).status_code == 404, stranger
    assert Client().get(url).status_code == 302


def test_behind_the_proxy_nginx_sends_the_file(settings):
    settings.PRIVATE_MEDIA_INTERNAL_URL = "/_private/"
    world = make_world()
    case = received(world)
    client = client_for(world.users["liaison"])
    client.post(f"/staff/attach/case/{case.pk}/", {"file": _photo((100, 100), "PNG")})
    attached = Attachment.objects.get()
    response = client.get(f"/staff/files/{attached.token}/")
    assert response["X-Accel-Redirect"] == f"/_private/{attached.file.name}"
    assert response.content == b""


def test_a_wrong_type_or_a_too_large_file_is_refused_with_a_message(monkeypatch):
    world = make_world()
    case = received(world)
    client = client_for(world.users["liaison"])
    script = io.BytesIO(b"<script>alert(1)</script>")
    script.name = "photo.jpg"
    response = client.post(f"/staff/attach/case/{case.pk}/", {"file": script}, follow=True)
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    monkeypatch.setattr("workarea.attachments.MAX_BYTES", 10)
    response = client.post(f"/staff/attach/case/{case.pk}/", {"file": _photo()}, follow=True)
    assert "10 MB" in response.content.decode()
    assert not Attachment.objects.exists()


def test_no_one_attaches_to_what_they_may_not_see():
    world = make_world()
    case = received(world)
    client = client_for(world.users["other_liaison"])
    assert client.post(f"/staff/attach/case/{case.pk}/", {"file": _photo()}).status_code == 404
    assert client.post(f"/staff/attach/nothing/{case.pk}/", {"file": _photo()}).status_code == 404
    assert not Attachment.objects.exists()


# THE DAILY DIGEST


def test_the_daily_digest_emails_unread_messages_once_to_those_who_asked(
    django_capture_on_commit_callbacks,
):
    from workarea.digests import digests_send

    world = make_world()
    with django_capture_on_commit_callbacks(execute=True):
        case_at(world, Step.HANDLING)
    user = world.users["lead_unit"]
    user.email = "clerk@example.org"
    user.save()
    assert digests_send() == 0  # not asked for
    client = client_for(user)
    assert client.post("/staff/messages/digest/", {"daily_digest": "on"}).status_code == 302
    assert 'name="daily_digest" checked' in client.get("/staff/messages/").content.decode()
    assert digests_send() == 1
    digest = Notification.objects.get(kind="message_digest")
    assert digest.channel == Channel.EMAIL and digest.address == "clerk@example.org"
    assert "·" in digest.body
    digests_send()
    assert Notification.objects.filter(kind="message_digest").count() == 1
    client.post("/staff/messages/digest/", {})
    Notification.objects.filter(kind="message_digest").delete()
    assert digests_send() == 0


def test_the_api_attaches_with_the_same_checks_as_the_form():
    world = make_world()
    case = received(world)
    client = client_for(world.users["liaison"])
    url = f"/api/v1/attachments/case/{case.pk}/"
    created = client.post(url, {"file": _photo((50, 50), "PNG")})
    assert created.status_code == 201, created.content
    assert created.json()["content_type"] == "image/png"
    listed = client.get(url).json()
    assert [row["id"] for row in listed] == [created.json()["id"]]
    script = io.BytesIO(b"MZ\x90\x00 not a document")
    script.name = "report.pdf"
    refused = client.post(url, {"file": script})
    assert refused.status_code == 400 and "file" in refused.json()
    assert client.post(url, {}).status_code == 400
    stranger = client_for(world.users["other_liaison"])
    assert stranger.get(url).status_code == 404
    assert stranger.post(url, {"file": _photo((50, 50), "PNG")}).status_code == 404
    assert Attachment.objects.count() == 1
