"""Each role sees its own scope and nothing else, on the server."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.base.roles import Role
from liaison.base.scopes import regions_visible_to, scope_of
from representatives.models import CongressLevel
from stations.scopes import representatives_visible_to, stations_visible_to
from suggestions.shared.scopes import units_visible_to
from tests.factories import (
    HandlingUnitFactory,
    MembershipFactory,
    RepresentativeFactory,
    StationFactory,
    UserFactory,
    committee_user,
    liaison_user,
    region,
    representative_user,
    unit_user,
)

pytestmark = pytest.mark.django_db

XINGSHA = "430121001000"  # 长沙县星沙街道
HUANGHUA = "430121105000"  # 长沙县黄花镇
FURONG = "430102001000"  # 长沙市芙蓉区某街道: another county


@pytest.fixture
def world():
    xingsha = StationFactory(name="星沙站", region=region(XINGSHA))
    village = StationFactory(name="黄花某村站", region=region("430121105201"))
    elsewhere = StationFactory(name="芙蓉站", region=region(FURONG))
    reps = {
        "xingsha": MembershipFactory(station=xingsha).representative,
        "village": MembershipFactory(station=village).representative,
        "elsewhere": MembershipFactory(
            station=elsewhere,
            representative=RepresentativeFactory(
                level=CongressLevel.COUNTY, region=region("430102000000")
            ),
        ).representative,
        "national": MembershipFactory(
            station=xingsha, representative=RepresentativeFactory(level=CongressLevel.NATIONAL)
        ).representative,
    }
    units = {
        "county": HandlingUnitFactory(region=region("430121000000")),
        "other_county": HandlingUnitFactory(region=region("430102000000")),
    }
    return {
        "stations": {"xingsha": xingsha, "village": village, "elsewhere": elsewhere},
        "reps": reps,
        "units": units,
    }


def names(queryset):
    return set(queryset.values_list("name", flat=True))


def test_liaison_sees_only_own_station(world):
    user = liaison_user(world["stations"]["xingsha"])
    assert names(stations_visible_to(user)) == {"星沙站"}
    visible = set(representatives_visible_to(user))
    assert visible == {world["reps"]["xingsha"], world["reps"]["national"]}
    assert not units_visible_to(user).exists()
    assert scope_of(user).roles == {Role.LIAISON}


def test_county_committee_sees_its_subtree_and_nothing_outside(world):
    user = committee_user("430121000000")
    assert names(stations_visible_to(user)) == {"星沙站", "黄花某村站"}
    visible = set(representatives_visible_to(user))
    assert world["reps"]["elsewhere"] not in visible
    assert {
        world["reps"]["xingsha"],
        world["reps"]["village"],
        world["reps"]["national"],
    } <= visible
    assert set(units_visible_to(user)) == {world["units"]["county"]}


def test_township_committee_does_not_see_sibling_township(world):
    user = committee_user(HUANGHUA)
    assert names(stations_visible_to(user)) == {"黄花某村站"}
    assert world["reps"]["xingsha"] not in representatives_visible_to(user)


def test_unit_staff_see_their_unit_only(world):
    user = unit_user(world["units"]["county"])
    assert set(units_visible_to(user)) == {world["units"]["county"]}
    assert not stations_visible_to(user).exists()
    assert not representatives_visible_to(user).exists()


def test_representative_sees_self_and_own_stations(world):
    user = representative_user(world["reps"]["village"])
    assert names(stations_visible_to(user)) == {"黄花某村站"}
    assert list(representatives_visible_to(user)) == [world["reps"]["village"]]


def test_user_with_no_role_and_anonymous_see_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    for user in (UserFactory(), AnonymousUser()):
        assert not stations_visible_to(user).exists()
        assert not representatives_visible_to(user).exists()
        assert not units_visible_to(user).exists()
        assert not regions_visible_to(user).exists()


def test_administrator_sees_everything(world):
    user = UserFactory(is_superuser=True, is_staff=True)
    assert stations_visible_to(user).count() == 3
    assert units_visible_to(user).count() == 2


def test_several_roles_add_up(world):
    user = committee_user(HUANGHUA)
    liaison_user(world["stations"]["elsewhere"], username=user.username)
    user = type(user).objects.get(pk=user.pk)
    assert names(stations_visible_to(user)) == {"黄花某村站", "芙蓉站"}
    assert scope_of(user).roles == {Role.COMMITTEE, Role.LIAISON}


def test_scope_is_read_once_per_user_object(world):
    user = committee_user("430121000000")
    scope_of(user)
    with CaptureQueriesContext(connection) as ctx:
        list(stations_visible_to(user))
        list(units_visible_to(user))
    assert len(ctx.captured_queries) == 2
