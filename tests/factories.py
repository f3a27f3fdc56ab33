"""Factories for a small, realistic tree: 湖南省 › 长沙市 › 长沙县 › its townships."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from liaison.base.models import CommitteeMembership, Region
from liaison.base.regions import level_of, parent_code
from representatives.models import CongressLevel, Representative, RepresentativeKind
from stations.models import Station, StationMembership, StationStaff
from suggestions.models import HandlingUnit, UnitStaff


def region(code: str, name: str | None = None) -> Region:
    """The region with this code, creating it and its ancestors as needed."""
    parent = parent_code(code)
    if parent:
        region(parent)
    obj, _ = Region.objects.get_or_create(
        code=code,
        defaults={"name": name or f"区划{code}", "level": level_of(code), "parent_id": parent},
    )
    return obj


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("name", locale="zh_CN")
    password = factory.django.Password("pw-for-tests")


class StationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Station

    name = factory.Sequence(lambda n: f"第{n}联络站")
    region = factory.LazyFunction(lambda: region("430121001000", "星沙街道"))
    address = "长沙县星沙街道便民服务中心"


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    name = factory.Faker("name", locale="zh_CN")
    level = CongressLevel.COUNTY
    term = 18
    electoral_district = "星沙街道第1选区"
    region = factory.LazyAttribute(
        lambda o: region(
            {
                CongressLevel.NATIONAL: "430000000000",
                CongressLevel.PROVINCIAL: "430000000000",
                CongressLevel.CITY: "430100000000",
                CongressLevel.COUNTY: "430121000000",
                CongressLevel.TOWNSHIP: "430121001000",
            }[o.level]
        )
    )
    kind = RepresentativeKind.GRASSROOTS
    private_phone = factory.Sequence(lambda n: f"138{n:08d}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StationMembership

    station = factory.SubFactory(StationFactory)
    representative = factory.SubFactory(RepresentativeFactory)
    start_date = dt.date(2022, 1, 1)


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HandlingUnit

    name = factory.Sequence(lambda n: f"县第{n}局")
    region = factory.LazyFunction(lambda: region("430121000000", "长沙县"))


def committee_user(region_code: str, **kwargs):
    user = UserFactory(**kwargs)
    CommitteeMembership.objects.create(user=user, region=region(region_code))
    return user


def liaison_user(*stations, **kwargs):
    user = UserFactory(**kwargs)
    for station in stations:
        StationStaff.objects.create(station=station, user=user)
    return user


def unit_user(unit, **kwargs):
    user = UserFactory(**kwargs)
    UnitStaff.objects.create(unit=unit, user=user)
    return user


def representative_user(representative, **kwargs):
    user = UserFactory(**kwargs)
    representative.user = user
    representative.save(update_fields=["user"])
    return user
