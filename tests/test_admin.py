"""The Django admin: in Chinese, scoped, refusing bad input, constant queries per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison.base.models import Region
from representatives.models import CongressLevel, Representative
from stations.models import Station, StationMembership, StationStaff
from tests.factories import (
    HandlingUnitFactory,
    MembershipFactory,
    RepresentativeFactory,
    StationFactory,
    UserFactory,
    committee_user,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def make_rows(model: str, count: int) -> None:
    if model == "representative":
        for _ in range(count):
            MembershipFactory()
    elif model == "station":
        for index in range(count):
            StationFactory(region=region(f"430121001{index + 1:03d}"))
    elif model == "handlingunit":
        HandlingUnitFactory.create_batch(count)
    elif model == "stationmembership":
        MembershipFactory.create_batch(count)
    elif model == "region":
        for index in range(count):
            region(f"430121{index + 1:03d}000")


CHANGELISTS = [
    ("representatives", "representative"),
    ("stations", "station"),
    ("suggestions", "handlingunit"),
    ("stations", "stationmembership"),
    ("liaison", "region"),
]


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("app", "model"), CHANGELISTS)
def test_changelist_queries_do_not_grow_with_rows(admin_client, app, model):
    url = reverse(f"admin:{app}_{model}_changelist")
    make_rows(model, 1)
    few = count_queries(admin_client, url)
    make_rows(model, 49)
    many = count_queries(admin_client, url)
    assert few == many


def test_admin_speaks_chinese_and_switches_to_english(admin_client):
    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "人大代表联络站管理后台" in page
    assert "行政区划" in page
    page = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Liaison stations administration" in page


def test_the_demo_admin_logs_in_through_the_staff_login_and_enrols_a_second_factor(client):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    assert client.get("/admin/login/?next=/admin/")["Location"].startswith("/staff/login/")
    response = client.post(
        "/staff/login/?next=/admin/", {"username": "admin", "password": "pw-for-tests"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/two-factor/"
    assert client.get("/staff/two-factor/").status_code == 200


def test_admin_refuses_township_representative_in_a_province(admin_client):
    province = region("430000000000")
    response = admin_client.post(
        reverse("admin:representatives_representative_add"),
        {
            "name": "张三",
            "level": CongressLevel.TOWNSHIP,
            "term": 18,
            "electoral_district": "第1选区",
            "region": province.code,
            "kind": "grassroots",
            "published": "on",
            "station_memberships-TOTAL_FORMS": 0,
            "station_memberships-INITIAL_FORMS": 0,
        },
        HTTP_ACCEPT_LANGUAGE="zh-CN",
    )
    assert response.status_code == 200
    assert "乡镇级人大代表应归属于乡镇（街道）" in response.content.decode()
    assert not Representative.objects.exists()


def test_admin_refuses_malformed_phone_and_duplicate_membership_saving_nothing(admin_client):
    membership = MembershipFactory()
    rep = membership.representative
    response = admin_client.post(
        reverse("admin:representatives_representative_change", args=[rep.pk]),
        {
            "name": rep.name,
            "level": rep.level,
            "term": rep.term,
            "electoral_district": rep.electoral_district,
            "region": rep.region_id,
            "kind": rep.kind,
            "published": "on",
            "private_phone": "1380000",
            "station_memberships-TOTAL_FORMS": 2,
            "station_memberships-INITIAL_FORMS": 1,
            "station_memberships-0-id": membership.pk,
            "station_memberships-0-representative": rep.pk,
            "station_memberships-0-station": membership.station_id,
            "station_memberships-0-start_date": "2022-01-01",
            "station_memberships-1-representative": rep.pk,
            "station_memberships-1-station": membership.station_id,
            "station_memberships-1-start_date": "2023-01-01",
        },
        HTTP_ACCEPT_LANGUAGE="zh-CN",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "请输入11位手机号" in page
    assert "该代表在此期间已进驻本联络站" in page
    rep.refresh_from_db()
    assert rep.private_phone != "1380000"
    assert StationMembership.objects.count() == 1


def test_admin_refuses_malformed_division_code(admin_client):
    response = admin_client.post(
        reverse("admin:liaison_region_add"),
        {"code": "4301210010", "name": "短码", "level": "township"},
        HTTP_ACCEPT_LANGUAGE="zh-CN",
    )
    assert "区划代码应为12位数字" in response.content.decode()
    assert not Region.objects.filter(name="短码").exists()


def test_admin_sets_the_parent_from_the_code(admin_client):
    region("430121000000")
    admin_client.post(
        reverse("admin:liaison_region_add"),
        {"code": "430121009000", "name": "新街道", "level": "township"},
    )
    assert Region.objects.get(code="430121009000").parent_id == "430121000000"


def test_staff_committee_user_sees_only_their_subtree_in_admin(client):
    inside = StationFactory(name="县内站", region=region("430121001000"))
    outside = StationFactory(name="县外站", region=region("430102001000"))
    user = committee_user("430121000000", is_staff=True)
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="view_station"))
    client.force_login(user)
    page = client.get(reverse("admin:stations_station_changelist")).content.decode()
    assert inside.name in page
    assert outside.name not in page
    url = reverse("admin:stations_station_change", args=[outside.pk])
    assert client.get(url).status_code == 302  # admin's "does not exist" redirect
    assert Station.objects.count() == 2


def test_admin_region_filter_selects_subtree(admin_client):
    StationFactory(name="星沙站", region=region("430121001000"))
    StationFactory(name="芙蓉站", region=region("430102001000"))
    page = admin_client.get(
        reverse("admin:stations_station_changelist") + "?region=430121000000"
    ).content.decode()
    assert "星沙站" in page
    assert "芙蓉站" not in page


def test_representative_filters_by_level_and_station(admin_client):
    membership = MembershipFactory()
    RepresentativeFactory(name="不在站", level=CongressLevel.CITY)
    url = reverse("admin:representatives_representative_changelist")
    page = admin_client.get(f"{url}?station={membership.station_id}").content.decode()
    assert membership.representative.name in page
    assert "不在站" not in page
    page = admin_client.get(f"{url}?level__exact=city").content.decode()
    assert "不在站" in page


def test_user_page_shows_and_saves_roles(admin_client):
    station = StationFactory()
    user = UserFactory(username="newliaison")
    url = reverse("admin:auth_user_change", args=[user.pk])
    page = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "联工委成员" in page
    assert "联络站工作人员" in page
    form = {
        "username": "newliaison",
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "committee_memberships-TOTAL_FORMS": 0,
        "committee_memberships-INITIAL_FORMS": 0,
        "station_roles-TOTAL_FORMS": 1,
        "station_roles-INITIAL_FORMS": 0,
        "station_roles-0-station": station.pk,
        "station_roles-0-role": "liaison",
        "unit_roles-TOTAL_FORMS": 0,
        "unit_roles-INITIAL_FORMS": 0,
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    from stations.scopes import stations_visible_to

    assert list(stations_visible_to(type(user).objects.get(pk=user.pk))) == [station]


def test_the_user_list_and_page_show_each_users_roles_and_scope(
    admin_client, django_assert_max_num_queries
):
    """The user's roles were set in four places and shown in none: the list and the user's
    page now say them (committee region, station, unit, representative)."""
    station = StationFactory(name="星沙第一联络站")
    liaison = UserFactory(username="liaison-roles")
    StationStaff.objects.create(station=station, user=liaison)
    committee_user("430121000000", username="committee-roles")
    with django_assert_max_num_queries(12):
        listing = admin_client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "星沙第一联络站" in listing
    page = admin_client.get(reverse("admin:auth_user_change", args=[liaison.pk])).content
    assert "星沙第一联络站" in page.decode()
