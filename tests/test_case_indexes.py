import datetime as dt

import pytest
from django.db import connection
from django.http import QueryDict

from suggestions.api import CaseFilter
from suggestions.models import Case, CaseCategory, Step
from suggestions.selectors import case_list
from tests.case_world import make_world, received
from tests.factories import HandlingUnitFactory, StationFactory, region

pytestmark = pytest.mark.django_db

ROWS = 100_000

# Every case satisfies every step's constraints, so the step can cycle freely.
BULK_INSERT = """
INSERT INTO suggestions_case (
    tracking_code, visit_id, region_id, station_id, title, description, category_id,
    authority, disposition, step, deadline, deadline_explanation, escalation_level,
    lead_unit_id, extension_reason, result, reply, satisfaction, public_summary, is_key,
    published, reopen_count, received_at, registered_at, replied_at, updated_at, handler, plan
)
SELECT
    substr(c, 1, 4) || '-' || substr(c, 5, 4) || '-' || substr(c, 9, 2),
    %(visit)s, (%(regions)s::text[])[1 + i %% %(nstations)s],
    (%(stations)s::bigint[])[1 + i %% %(nstations)s],
    'case ' || i, 'text', (%(categories)s::bigint[])[1 + i %% 10], 'township', 'letter',
    (ARRAY['archived','archived','archived','archived','archived','archived','archived',
           'received','registered','handling','supervising','replied','feedback'])[1 + i %% 13],
    current_date + (i %% 90 - 45), '{}', 0, (%(units)s::bigint[])[1 + i %% 8], '', 'solved',
    'ok', 'satisfied', '', false, false, 0,
    now() - (i %% 730) * interval '1 day', now(), now(), now(), '', ''
FROM (
    SELECT i, translate(upper(substr(md5(i::text), 1, 10)), '01', 'XY') AS c
    FROM generate_series(1, %(rows)s) AS i
) AS numbered
"""


def _plan(user, params: dict) -> str:
    queryset = CaseFilter(QueryDict(mutable=True) | params, queryset=case_list(user=user)).qs
    return queryset.order_by("-id")[:51].explain()


def test_filters_use_indexes_at_100000_cases(postgres):
    """With 100,000 cases the page query the API runs for every filter reads the case
    table through an index (no sequential scan). For a 51-row keyset page PostgreSQL
    walks the primary key backwards and filters as it goes; the per-filter indexes
    serve the sweeps and larger result sets."""
    world = make_world()
    visit = received(world).visit
    townships = [region(f"430121{n:03d}000") for n in range(1, 21)]
    stations = [StationFactory(region=townships[n % 20]) for n in range(40)]
    units = [HandlingUnitFactory() for _ in range(8)]
    categories = list(CaseCategory.objects.values_list("pk", flat=True)[:10])
    with connection.cursor() as cursor:
        cursor.execute(
            BULK_INSERT,
            {
                "visit": visit.pk,
                "regions": [s.region_id for s in stations],
                "stations": [s.pk for s in stations],
                "nstations": len(stations),
                "categories": categories,
                "units": [u.pk for u in units],
                "rows": ROWS,
            },
        )
        cursor.execute(
            "INSERT INTO suggestions_casecounit (case_id, unit_id) "
            "SELECT id, %s FROM suggestions_case WHERE id %% 10 = 0",
            [units[0].pk],
        )
        cursor.execute("ANALYZE suggestions_case")
        cursor.execute("ANALYZE suggestions_casecounit")
    assert Case.objects.count() > ROWS
    today = dt.date.today()
    committee = world.users["committee"]
    filters = {
        "step": {"step": Step.SUPERVISING},
        "category": {"category": str(categories[3])},
        "station": {"station": str(stations[5].pk)},
        "region": {"region": townships[4].code},
        "unit": {"unit": str(units[2].pk)},
        "overdue": {"overdue": "true"},
        "due_soon": {"due_soon": "true"},
        "received": {"received_after": str(today - dt.timedelta(days=3))},
        "deadline": {"deadline_before": str(today - dt.timedelta(days=40))},
        "inbox": {"region": townships[4].code, "step": Step.REGISTERED, "overdue": "true"},
    }
    plans = {name: _plan(committee, params) for name, params in filters.items()}
    for name, plan in plans.items():
        assert "Seq Scan on suggestions_case " not in plan + " ", (name, plan)
        assert "Index" in plan, (name, plan)
