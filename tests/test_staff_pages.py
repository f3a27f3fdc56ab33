"""The staff work area over plain HTTP: login, navigation by role, scope (404), every move
through its service with errors next to the field, bulk assign, the reception desk, the
reception plan and the printable pages."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext

from liaison.wiring.staff.nav import sections_for
from stations.models import ReceptionDay, ReceptionStatus, Visit, VisitChannel
from suggestions.cases import services
from suggestions.models import Case, Step
from tests.case_world import case_at, make_world, received
from tests.clock import frozen

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_anonymous_users_are_sent_to_the_staff_login():
    """/staff/ asks for a login at /staff/login/, which logs in with username and password."""
    world = make_world()
    response = Client().get("/staff/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=/staff/cases/")
    client = Client()
    user = world.users["liaison"]
    response = client.post("/staff/login/", {"username": user.username, "password": "pw-for-tests"})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_logout_ends_the_session():
    world = make_world()
    client = client_for(world.users["liaison"])
    assert client.post("/staff/logout/").status_code == 302
    assert client.get("/staff/").status_code == 302


def test_navigation_follows_the_roles():
    """Each role sees its own sections and not the others'."""
    world = make_world()
    labels = {
        role: {str(s["url"]) for s in sections_for(world.users[role])}
        for role in ("liaison", "committee", "lead_unit", "receiver")
    }
    assert "/staff/reception/" in labels["liaison"] and "/staff/inbox/" not in labels["liaison"]
    assert {"/staff/inbox/", "/staff/overdue/"} <= labels["committee"]
    assert labels["lead_unit"] == {
        "/staff/",
        "/staff/cases/",
        "/staff/unit/",
        "/staff/suggestions/",
        "/staff/suggestions/unit/",
        "/staff/suggestions/reports/",
        "/staff/projects/",
        "/staff/figures/",
    }
    assert labels["receiver"] == {
        "/staff/",
        "/staff/cases/",
        "/staff/representative/",
        "/staff/suggestions/mine/",
        "/staff/figures/mine/",
    }


def test_my_work_shows_what_waits_for_each_role():
    """The liaison waits on a received case, the unit on its handling case, the committee
    on a registered one; nobody sees another's."""
    world = make_world()
    fresh, handling, registered = (
        case_at(world, Step.RECEIVED),
        case_at(world, Step.HANDLING),
        case_at(world, Step.REGISTERED),
    )
    waiting = {
        role: {c.pk for c in client_for(world.users[role]).get("/staff/").context["waiting"]}
        for role in ("liaison", "lead_unit", "committee", "other_liaison")
    }
    assert fresh.pk in waiting["liaison"] and handling.pk not in waiting["liaison"]
    assert waiting["lead_unit"] == {handling.pk}
    assert registered.pk in waiting["committee"] and fresh.pk not in waiting["committee"]
    assert waiting["other_liaison"] == set()


@pytest.mark.parametrize("role", ["other_liaison", "other_committee", "other_unit"])
def test_out_of_scope_case_pages_are_404(role):
    """Another station's or county's or unit's case: its page, its moves and its letter 404."""
    world = make_world()
    case = case_at(world, Step.HANDLING)
    client = client_for(world.users[role])
    assert client.get(f"/staff/cases/{case.pk}/").status_code == 404
    assert client.get(f"/staff/cases/{case.pk}/letter/").status_code == 404
    response = client.post(f"/staff/cases/{case.pk}/move/supervise/", {"supervise-note": "x"})
    assert response.status_code == 404
    assert client.get(f"/staff/visits/{case.visit_id}/sheet/").status_code == 404
    assert Case.objects.get(pk=case.pk).step == Step.HANDLING


def test_a_unit_sees_the_case_but_not_who_raised_it():
    """The lead unit opens its case; the constituent's name and phone are not on the page,
    and the visit sheet is a 404."""
    world = make_world()
    case = case_at(world, Step.HANDLING)
    client = client_for(world.users["lead_unit"])
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert case.title in page
    assert "张三" not in page and "13812345678" not in page
    assert client.get(f"/staff/visits/{case.visit_id}/sheet/").status_code == 404


def test_role_pages_are_404_for_other_roles():
    world = make_world()
    liaison = client_for(world.users["liaison"])
    for url in ("/staff/inbox/", "/staff/overdue/", "/staff/unit/", "/staff/representative/"):
        assert liaison.get(url).status_code == 404
    unit = client_for(world.users["lead_unit"])
    for url in ("/staff/reception/", "/staff/reception/plan/", "/staff/inbox/"):
        assert unit.get(url).status_code == 404


def test_the_case_page_offers_only_the_available_moves():
    """A liaison on a registered county matter may refer it, not turn it into a
    suggestion; the committee may."""
    world = make_world()
    case = case_at(world, Step.REGISTERED, authority="county")
    liaison = client_for(world.users["liaison"]).get(f"/staff/cases/{case.pk}/")
    names = [t.name for t, _form in liaison.context["forms"]]
    assert "refer_by_letter" in names and "to_suggestion" not in names and "reply" not in names
    committee = client_for(world.users["committee"]).get(f"/staff/cases/{case.pk}/")
    assert "to_suggestion" in [t.name for t, _form in committee.context["forms"]]
    assert committee.context["deadline_text"] in committee.content.decode()
    assert "registration" not in committee.context["deadline_text"]


def test_a_move_goes_through_the_service_and_shows_in_the_timeline():
    world = make_world()
    case = case_at(world, Step.REGISTERED)
    client = client_for(world.users["committee"])
    response = client.post(
        f"/staff/cases/{case.pk}/move/refer_by_letter/",
        {"refer_by_letter-unit": world.unit.pk, "refer_by_letter-co_units": [world.co_unit.pk]},
        follow=True,
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert (case.step, case.lead_unit) == (Step.HANDLING, world.unit)
    assert case.events.filter(kind="refer_by_letter").exists()
    assert any("函件转办" in m for m in messages_of(response))


def test_form_errors_and_service_errors_appear_next_to_the_field():
    """A blank reply is a form error; a deadline not after the current one is the service's
    error, shown next to the date; nothing changes."""
    world = make_world()
    case = case_at(world, Step.HANDLING)
    client = client_for(world.users["lead_unit"])
    response = client.post(f"/staff/cases/{case.pk}/move/reply/", {"reply-result": "solved"})
    assert response.status_code == 400
    assert response.context["open_form"] == "reply"
    forms = {t.name: f for t, f in response.context["forms"]}
    assert forms["reply"].errors["reply"]
    assert {"set_plan", "request_extension", "reply"} <= set(forms)
    response = client.post(
        f"/staff/cases/{case.pk}/move/request_extension/",
        {
            "request_extension-until": case.deadline.isoformat(),
            "request_extension-reason": "需要招标",
        },
    )
    assert response.status_code == 400
    form = {t.name: f for t, f in response.context["forms"]}["request_extension"]
    assert form.errors["until"] == [str(gettext("Ask for a date after the current deadline."))]
    assert "until" in form.errors and not form.non_field_errors()
    assert Case.objects.get(pk=case.pk).extension_until is None


def test_a_refused_move_is_a_clear_message():
    """A liaison posting the committee's archive move is told so; the case stays."""
    world = make_world()
    case = case_at(world, Step.FEEDBACK)
    response = client_for(world.users["liaison"]).post(
        f"/staff/cases/{case.pk}/move/archive/", {}, follow=True
    )
    assert response.status_code == 200
    assert any("归档" in m for m in messages_of(response))
    assert Case.objects.get(pk=case.pk).step == Step.FEEDBACK


def test_bulk_assign_assigns_each_case_and_reports_each_refusal():
    """Two registered cases are referred; a received one is refused with its tracking code."""
    world = make_world()
    first, second = case_at(world, Step.REGISTERED), case_at(world, Step.REGISTERED)
    fresh = case_at(world, Step.RECEIVED)
    response = client_for(world.users["committee"]).post(
        "/staff/inbox/",
        {
            "cases": [first.pk, second.pk, fresh.pk],
            "move": "refer_by_letter",
            "unit": world.unit.pk,
            "workdays": "10",
        },
        follow=True,
    )
    steps = dict(Case.objects.values_list("pk", "step"))
    assert steps[first.pk] == steps[second.pk] == Step.HANDLING
    assert steps[fresh.pk] == Step.RECEIVED
    texts = messages_of(response)
    assert any(fresh.tracking_code in m for m in texts)
    assert any("2" in m for m in texts if fresh.tracking_code not in m)


def test_bulk_assign_ignores_cases_outside_the_region():
    world = make_world()
    case = case_at(world, Step.REGISTERED)
    client_for(world.users["other_committee"]).post(
        "/staff/inbox/", {"cases": [case.pk], "move": "refer_by_letter", "unit": world.unit.pk}
    )
    assert Case.objects.get(pk=case.pk).step == Step.REGISTERED


def _visit_post(world, **extra):
    data = {
        "station": world.station.pk,
        "constituent_phone": "139 0000 1111",
        "constituent_name": "李四",
        "constituent_address": "星沙街道一号",
        "constituent_id_number": "",
        "people_count": "1",
        "channel": VisitChannel.HOUSEHOLD,
        "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "cases-TOTAL_FORMS": "3",
        "cases-INITIAL_FORMS": "0",
        "cases-MIN_NUM_FORMS": "0",
        "cases-MAX_NUM_FORMS": "20",
        "cases-0-title": "小区路灯不亮",
        "cases-0-description": "三栋门口路灯坏了。",
        "cases-1-title": "垃圾清运不及时",
        "cases-1-description": "每周只清运一次。",
        "cases-2-title": "",
        "cases-2-description": "",
        "save": "",
    }
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


@frozen()
def test_the_reception_desk_saves_a_visit_with_two_cases_in_one_post():
    world = make_world()
    client = client_for(world.users["liaison"])
    response = client.post("/staff/reception/", _visit_post(world), follow=True)
    visit = Visit.objects.get(constituent_name="李四")
    assert visit.constituent_phone == "13900001111"
    assert sorted(visit.cases.values_list("title", flat=True)) == ["垃圾清运不及时", "小区路灯不亮"]
    codes = visit.cases.values_list("tracking_code", flat=True)
    assert all(any(code in m for m in messages_of(response)) for code in codes)


@frozen()
def test_bad_visit_input_changes_nothing_and_shows_the_error_by_the_field():
    world = make_world()
    client = client_for(world.users["liaison"])
    response = client.post(
        "/staff/reception/",
        _visit_post(world, constituent_id_number="123", **{"cases-1-description": ""}),
    )
    assert response.status_code == 400
    assert not Visit.objects.filter(constituent_name="李四").exists()
    assert response.context["formset"].forms[1].errors["description"]


@frozen()
def test_a_visit_on_today_s_reception_day_is_linked_to_it():
    world = make_world()
    day = ReceptionDay.objects.create(station=world.station, date=timezone.localdate())
    client = client_for(world.users["liaison"])
    page = client.get("/staff/reception/")
    assert page.context["day"] == day
    client.post(
        "/staff/reception/",
        _visit_post(
            world, channel=VisitChannel.RECEPTION_DAY, representatives=[world.representative.pk]
        ),
    )
    visit = Visit.objects.get(constituent_name="李四")
    assert visit.reception_day == day
    assert list(visit.representatives.all()) == [world.representative]


@frozen()
def test_one_more_issue_row_without_saving():
    world = make_world()
    response = client_for(world.users["liaison"]).post(
        "/staff/reception/", _visit_post(world, add_row="", save=None)
    )
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 4
    assert not Visit.objects.exists()


@frozen()
def test_a_returning_constituent_is_recognised_only_at_the_same_station():
    """The phone finds earlier visits at this station; the same phone at another station
    stays hidden, and asking about another station is a 404."""
    world = make_world()
    received(world, title="路灯不亮")
    services.visit_record(
        actor=world.users["other_liaison"],
        station=world.other_station,
        channel=VisitChannel.PHONE,
        visited_at=timezone.now() - dt.timedelta(days=3),
        constituent_name="张三别处",
        constituent_phone="13812345678",
        cases=[{"title": "别处的问题", "description": "另一个站的来访"}],
    )
    client = client_for(world.users["liaison"])
    hint = client.get("/staff/reception/lookup/", {"constituent_phone": "138 1234 5678"})
    text = hint.content.decode()
    assert "路灯不亮" in text and "张三" in text
    assert "别处" not in text
    other = client.get(
        "/staff/reception/lookup/",
        {"constituent_phone": "13812345678", "station": world.other_station.pk},
    )
    assert other.status_code == 404
    plain = client.post(
        "/staff/reception/", _visit_post(world, constituent_phone="13812345678", lookup="")
    )
    assert "路灯不亮" in plain.content.decode() and not Visit.objects.filter(
        constituent_name="李四"
    )


@frozen()
def test_the_reception_plan_is_filled_edited_and_published():
    """Fill the year, put a representative on duty, publish; cancelling needs a reason."""
    world = make_world()
    client = client_for(world.users["liaison"])
    year = timezone.localdate().year + 1
    client.post("/staff/reception/plan/generate/", {"station": world.station.pk, "year": year})
    days = ReceptionDay.objects.filter(station=world.station, date__year=year)
    assert days.count() == 12
    day = days.order_by("date").first()
    response = client.post(
        f"/staff/reception/days/{day.pk}/",
        {
            "date": day.date.isoformat(),
            "start_time": "08:30",
            "end_time": "11:30",
            "place": "便民服务中心三楼",
            "notice_lead_workdays": "3",
            "representatives": [world.representative.pk],
        },
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.place, day.notice_lead_workdays) == ("便民服务中心三楼", 3)
    assert list(day.representatives.all()) == [world.representative]
    client.post(f"/staff/reception/days/{day.pk}/publish/")
    assert ReceptionDay.objects.get(pk=day.pk).status == ReceptionStatus.PUBLISHED
    refused = client.post(f"/staff/reception/days/{day.pk}/cancel/", {"reason": ""}, follow=True)
    assert ReceptionDay.objects.get(pk=day.pk).status == ReceptionStatus.PUBLISHED
    assert messages_of(refused)
    plan = client.get("/staff/reception/plan/", {"station": world.station.pk, "year": year})
    assert len(plan.context["listing"].page.object_list) == 12


def test_another_station_s_reception_day_is_404():
    world = make_world()
    day = ReceptionDay.objects.create(station=world.other_station, date=dt.date(2030, 3, 15))
    client = client_for(world.users["liaison"])
    assert client.get(f"/staff/reception/days/{day.pk}/").status_code == 404
    assert (
        client.post(f"/staff/reception/days/{day.pk}/cancel/", {"reason": "x"}).status_code == 404
    )
    assert (
        client.get("/staff/reception/plan/", {"station": world.other_station.pk}).status_code == 404
    )


def test_the_printed_notice_shows_public_phones_never_private_ones():
    world = make_world()
    rep = world.representative
    rep.public_phone, rep.private_phone = "0731-84000000", "13999998888"
    rep.save()
    day = ReceptionDay.objects.create(station=world.station, date=dt.date(2030, 3, 15))
    day.duties.create(representative=rep, date=day.date, kind=rep.kind)
    page = client_for(world.users["liaison"]).get(f"/staff/reception/days/{day.pk}/notice/")
    text = page.content.decode()
    assert rep.name in text and "0731-84000000" in text and "13999998888" not in text


def test_the_referral_letter_carries_no_personal_data_and_the_sheet_does():
    world = make_world()
    case = case_at(world, Step.HANDLING)
    client = client_for(world.users["liaison"])
    letter = client.get(f"/staff/cases/{case.pk}/letter/").content.decode()
    assert world.unit.name in letter and case.title in letter
    assert "张三" not in letter and "13812345678" not in letter
    sheet = client.get(f"/staff/visits/{case.visit_id}/sheet/").content.decode()
    assert "张三" in sheet and case.tracking_code in sheet


def test_an_invalid_filter_is_a_field_error_not_a_500():
    world = make_world()
    case_at(world, Step.RECEIVED)
    response = client_for(world.users["committee"]).get("/staff/cases/", {"region": "43"})
    assert response.status_code == 200
    assert response.context["listing"].filter.errors["region"]
