"""What must always hold is refused by the model layer with a clear message, and by the
database when the model layer is bypassed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from liaison.base.models import Region
from liaison.base.validators import (
    normalize_phone,
    validate_id_number,
    validate_mobile,
    validate_phone,
)
from representatives.models import CongressLevel, Representative
from stations import services
from stations.models import Station, StationMembership
from tests.factories import MembershipFactory, RepresentativeFactory, StationFactory, region

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> str:
    return " ".join(str(m) for m in error.messages)


def test_township_representative_attached_to_a_province_is_refused_in_chinese():
    rep = RepresentativeFactory.build(level=CongressLevel.TOWNSHIP, region=region("430000000000"))
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        rep.full_clean()
    assert "乡镇" in messages(error.value)
    assert not Representative.objects.exists()


def test_database_refuses_a_level_region_mismatch():
    province = region("430000000000")
    with pytest.raises(IntegrityError), transaction.atomic():
        Representative.objects.create(
            name="错配",
            level=CongressLevel.TOWNSHIP,
            term=18,
            electoral_district="x",
            region=province,
        )


@pytest.mark.parametrize(
    ("level", "code"),
    [
        (CongressLevel.NATIONAL, "430000000000"),
        (CongressLevel.PROVINCIAL, "430000000000"),
        (CongressLevel.CITY, "430100000000"),
        (CongressLevel.COUNTY, "430121000000"),
        (CongressLevel.TOWNSHIP, "430121001000"),
    ],
)
def test_every_level_fits_its_region(level, code):
    RepresentativeFactory(level=level, region=region(code)).full_clean()


def test_station_must_sit_in_a_township_or_village():
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.create(name="县站", region=region("430121000000"), address="x")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        Station(name="县站", region=region("430121000000"), address="x").full_clean()
    assert "乡镇" in messages(error.value)


@pytest.mark.parametrize(
    "phone", ["1381234567", "23812345678", "138-1234-5678x", "电话", "+1 5551234567"]
)
def test_malformed_phones_are_refused(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


@pytest.mark.parametrize(
    "phone", ["13812345678", "１３８１２３４５６７８", "+86 138 1234 5678", "0731-84012345"]
)
def test_phones_as_people_write_them_are_accepted(phone):
    validate_phone(phone)


def test_full_width_mobile_is_normalised():
    assert normalize_phone("１３８ １２３４ ５６７８") == "13812345678"
    validate_mobile("１３８１２３４５６７８")


def test_representative_phone_is_refused_in_chinese_and_nothing_saved():
    rep = RepresentativeFactory.build(private_phone="12345", region=region("430121000000"))
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        rep.full_clean()
    assert "11位手机号" in messages(error.value)
    assert not Representative.objects.exists()


def test_id_number_checksum():
    validate_id_number("11010519491231002X")
    with pytest.raises(ValidationError):
        validate_id_number("110105194912310021")


def test_malformed_region_code_is_refused_by_model_and_database():
    with pytest.raises(ValidationError):
        Region(code="43012100100", name="短", level="township").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code="43012100100x", name="错", level="village")


def test_second_open_membership_in_same_station_is_refused():
    membership = MembershipFactory()
    with pytest.raises(ValidationError):
        services.membership_start(
            station=membership.station,
            representative=membership.representative,
            start_date=dt.date(2024, 1, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        StationMembership.objects.create(
            station=membership.station,
            representative=membership.representative,
            start_date=dt.date(2024, 1, 1),
        )
    assert StationMembership.objects.count() == 1


def test_overlapping_dated_membership_is_refused_and_history_is_kept():
    station = StationFactory()
    rep = RepresentativeFactory()
    first = services.membership_start(
        station=station,
        representative=rep,
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2021, 12, 31),
    )
    with pytest.raises(ValidationError):
        services.membership_start(
            station=station,
            representative=rep,
            start_date=dt.date(2021, 6, 1),
            end_date=dt.date(2022, 6, 1),
        )
    second = services.membership_start(
        station=station, representative=rep, start_date=dt.date(2022, 1, 1)
    )
    other = services.membership_start(
        station=StationFactory(), representative=rep, start_date=dt.date(2022, 1, 1)
    )
    assert set(StationMembership.objects.current(on=dt.date(2023, 1, 1))) == {second, other}
    assert list(StationMembership.objects.current(on=dt.date(2018, 1, 1))) == [first]


def test_database_refuses_overlap_on_postgresql(postgres):
    station = StationFactory()
    rep = RepresentativeFactory()
    StationMembership.objects.create(
        station=station,
        representative=rep,
        start_date=dt.date(2017, 1, 1),
        end_date=dt.date(2021, 12, 31),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        StationMembership.objects.create(
            station=station,
            representative=rep,
            start_date=dt.date(2021, 6, 1),
            end_date=dt.date(2022, 6, 1),
        )


def test_membership_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        StationMembership.objects.create(
            station=StationFactory(),
            representative=RepresentativeFactory(),
            start_date=dt.date(2022, 1, 1),
            end_date=dt.date(2021, 1, 1),
        )
