"""A region-subtree query is one range scan on an index, at the size of a province."""

import pytest
from django.db import connection

from liaison.base.models import Region
from stations.models import Station
from tests.factories import region

pytestmark = pytest.mark.django_db


def explain(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE liaison_region")
        cursor.execute("ANALYZE stations_station")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_subtree_filters_use_indexes_on_postgresql(postgres):
    county = region("430121000000", "长沙县")
    # 100 counties × 30 townships × 20 villages = 60,000 villages, one station in each.
    with connection.cursor() as cursor:
        # Loading the fixture is not a request: no web statement timeout (this test only).
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute(
            """
            INSERT INTO liaison_region (code, name, level, parent_id)
            SELECT lpad(c::text, 6, '0') || lpad(t::text, 3, '0') || lpad(v::text, 3, '0'),
                   'v', 'village', NULL
            FROM generate_series(430200, 430299) c, generate_series(1, 30) t,
                 generate_series(1, 20) v
            """
        )
        cursor.execute(
            """
            INSERT INTO stations_station
                (name, kind, region_id, address, in_service_centre, opening_notes, active, created_at)
            SELECT 's' || code, 'station', code, 'a', false, '', true, now()
            FROM liaison_region WHERE level = 'village'
            """
        )
    other = Region(code="430250000000", level="county")  # its villages exist, it need not
    regions_plan = explain(Region.objects.subtree(other.code, "county"))
    stations_plan = explain(Station.objects.in_region(other))
    assert "Index" in regions_plan, regions_plan
    assert "Seq Scan" not in regions_plan, regions_plan
    assert "Index" in stations_plan, stations_plan
    assert "Seq Scan" not in stations_plan, stations_plan
    assert Station.objects.in_region(other).count() == 600
    assert Station.objects.in_region(county).count() == 0
