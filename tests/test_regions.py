import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from liaison.base import regions
from liaison.base.models import Region
from liaison.base.regions import RegionLevel
from stations.models import Station
from tests.factories import StationFactory, region

pytestmark = pytest.mark.django_db


def test_level_is_read_off_the_code():
    assert regions.level_of("430000000000") == RegionLevel.PROVINCE
    assert regions.level_of("430100000000") == RegionLevel.CITY
    assert regions.level_of("430121000000") == RegionLevel.COUNTY
    assert regions.level_of("430121001000") == RegionLevel.TOWNSHIP
    assert regions.level_of("430121001201") == RegionLevel.VILLAGE
    assert regions.parent_code("430121001201") == "430121001000"
    assert regions.subtree_bounds("430121000000") == ("430121000000", "430121999999")


@pytest.mark.parametrize(
    "code", ["43012100100", "4301210010001", "43012100100a", "", "４３０１２１００１０００"]
)
def test_malformed_division_codes_are_refused(code):
    with pytest.raises(ValidationError) as error:
        regions.validate_code(code)
    assert "12" in str(error.value)


def test_database_refuses_a_level_that_contradicts_the_code():
    region("430121000000")
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code="430121002000", name="错", level=RegionLevel.COUNTY)
    assert not Region.objects.filter(code="430121002000").exists()


def test_subtree_query_is_one_query():
    county = region("430121000000", "长沙县")
    StationFactory(region=region("430121001000"))
    StationFactory(region=region("430121002201"))
    StationFactory(region=region("430102001000"))
    with CaptureQueriesContext(connection) as ctx:
        names = list(Station.objects.in_region(county).values_list("name", flat=True))
    assert len(names) == 2
    assert len(ctx.captured_queries) == 1
    assert ">=" in ctx.captured_queries[0]["sql"]
