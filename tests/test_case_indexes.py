"""The case list's filters read the case table through their own indexes at 100,000 cases.

The data has the shape of a real county over three years: 400 stations in 40 townships,
60 handling units, ten categories, most cases archived and a few in each open step,
deadlines only on cases not yet replied (the services clear them at the reply), and no
correlation between a filter's value and the case id. On such data a page of 51 rows
filtered by a station, a unit, an open step or a deadline window is found through that
filter's index, never by a sequential scan or by walking the whole table backwards.
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from suggestions.cases.filters import CaseFilter
from suggestions.cases.selectors import case_list
from suggestions.models import Case, CaseCategory, Step
from tests.case_world import make_world, received
from tests.clock import frozen
from tests.conftest import ARTIFACTS
from tests.factories import HandlingUnitFactory, StationFactory, region

# Deadlines and receipt times are laid out around today, as the filters read them.
pytestmark = [pytest.mark.django_db, frozen()]

ROWS = 100_000
TOWNSHIPS, STATIONS, UNITS = 40, 400, 60

# Step by a hash of the id, not the id itself: 88% archived, the rest spread over the
# open steps. Every row satisfies the constraints of whichever step it lands on.
BULK_INSERT = """
INSERT INTO suggestions_case (
    tracking_code, visit_id, region_id, station_id, title, description, category_id,
    authority, disposition, step, deadline, deadline_explanation, escalation_level,
    lead_unit_id, extension_reason, result, reply, satisfaction, public_summary, is_key,
    published, reopen_count, received_at, registered_at, replied_at, updated_at, handler, plan,
    public_reply, conclusion
)
SELECT
    substr(c, 1, 4) || '-' || substr(c, 5, 4) || '-' || substr(c, 9, 2),
    %(visit)s, (%(regions)s::text[])[1 + s], (%(stations)s::bigint[])[1 + s],
    'case ' || i, 'text', (%(categories)s::bigint[])[1 + (i * 7) %% 10], 'township', 'letter',
    step,
    CASE WHEN step IN ('received', 'registered', 'handling', 'supervising')
         THEN %(today)s::date + ((i * 13) %% 60 - 5) END,
    '{}', 0, (%(units)s::bigint[])[1 + (i * 31) %% %(nunits)s], '', 'solved', 'ok',
    'satisfied', '', false, false, 0,
    %(now)s - (%(rows)s - i) * interval '15 minutes', %(now)s, %(now)s, %(now)s, '', '',
    '', ''
FROM (
    SELECT i, (i * 7919) %% %(nstations)s AS s,
        CASE WHEN (i * 101) %% 100 < 88 THEN 'archived'
             ELSE (ARRAY['received', 'registered', 'handling', 'supervising', 'replied',
                         'feedback'])[1 + (i * 101) %% 100 %% 6] END AS step,
        translate(upper(substr(md5(i::text), 1, 10)), '01', 'XY') AS c
    FROM generate_series(1, %(rows)s) AS i
) AS numbered
"""


def _plan(user, params: dict) -> str:
    """EXPLAIN ANALYZE of the page query the API runs (first keyset page, 51 rows)."""
    queryset = CaseFilter(QueryDict(mutable=True) | params, queryset=case_list(user=user)).qs
    return queryset.order_by("-id")[:51].explain(analyze=True)


def _rows_read(plan: str) -> int:
    """Rows the plan took from the case table, kept or thrown away by a filter."""
    read = 0
    for line in plan.splitlines():
        if " on suggestions_case " in line + " " or "Rows Removed by Filter" in line:
            read += sum(
                int(rows) * int(loops)
                for rows, loops in re.findall(r"actual time=\S+ rows=(\d+) loops=(\d+)", line)
            )
            read += sum(int(n) for n in re.findall(r"Rows Removed by Filter: (\d+)", line))
    return read


@pytest.fixture
def county(postgres):
    world = make_world()
    visit = received(world).visit
    townships = [region(f"430121{n:03d}000") for n in range(1, TOWNSHIPS + 1)]
    stations = [StationFactory(region=townships[n % TOWNSHIPS]) for n in range(STATIONS)]
    units = [HandlingUnitFactory() for _ in range(UNITS)]
    categories = [
        CaseCategory.objects.get_or_create(code=f"c{n}", defaults={"name": f"类别{n}"})[0].pk
        for n in range(10)
    ]
    with connection.cursor() as cursor:
        # Loading the fixture is not a request: on a loaded CI machine it may take longer
        # than the web's statement timeout (for this test's transaction only).
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute(
            BULK_INSERT,
            {
                "visit": visit.pk,
                "regions": [s.region_id for s in stations],
                "stations": [s.pk for s in stations],
                "nstations": len(stations),
                "categories": categories,
                "units": [u.pk for u in units],
                "nunits": len(units),
                "rows": ROWS,
                # The application's clock, which the filters compare with, not the database's.
                "today": timezone.localdate(),
                "now": timezone.now(),
            },
        )
        # A co-unit on one case in twenty.
        cursor.execute(
            "INSERT INTO suggestions_casecounit (case_id, unit_id) "
            "SELECT id, (%s::bigint[])[1 + (id * 17) %% %s] FROM suggestions_case "
            "WHERE id %% 20 = 0 AND lead_unit_id <> (%s::bigint[])[1 + (id * 17) %% %s]",
            [[u.pk for u in units], UNITS] * 2,
        )
        cursor.execute("ANALYZE suggestions_case")
        cursor.execute("ANALYZE suggestions_casecounit")
    assert Case.objects.count() > ROWS
    return world, townships, stations, units, categories


# filter → the index its plan reads the case table through. Broad filters (a step, a
# category, a township: thousands of rows each) are served by walking the primary key in
# keyset order, which finds the newest 51 within a few thousand rows; the test bounds that.
# A deadline window of a few hundred rows goes either way on PostgreSQL's default costs
# (case_deadline_idx, or a primary-key walk of up to 15% of the table: both a few ms).
OWN_INDEX = {
    "station": r"suggestions_case_station_id_\w+|case_station_received_idx",
    "unit": r"case_lead_unit_id_idx|case_unit_open_deadline_idx|case_lead_unit_step_idx",
    "overdue": r"case_open_deadline_idx",
    "due_soon": r"case_open_deadline_idx",
    "received": r"case_received_idx",
    "inbox": r"case_open_region_step_dl_idx",
}


def test_filters_use_their_indexes_at_100000_cases(county):
    """No filter scans the case table: each reads it through an index, selective filters
    through their own, and no page reads more than a fifth of the table. The plans are
    written to test-artifacts/explain/case-list-100k.txt."""
    world, townships, stations, units, categories = county
    today = dt.date.today()
    filters = {
        "step": {"step": Step.SUPERVISING},
        "category": {"category": str(categories[3])},
        "station": {"station": str(stations[5].pk)},
        "region": {"region": townships[4].code},
        "unit": {"unit": str(units[2].pk)},
        "overdue": {"overdue": "true"},
        "due_soon": {"due_soon": "true"},
        "received": {"received_after": str(today - dt.timedelta(days=3))},
        "deadline": {
            "deadline_after": str(today - dt.timedelta(days=4)),
            "deadline_before": str(today - dt.timedelta(days=4)),
        },
        "inbox": {"region": townships[4].code, "step": Step.REGISTERED, "overdue": "true"},
    }
    committee = world.users["committee"]
    plans = {name: _plan(committee, params) for name, params in filters.items()}
    report = ARTIFACTS / "explain" / "case-list-100k.txt"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(
        "\n\n".join(
            f"== {name} {filters[name]} (rows read: {_rows_read(plan)})\n{plan}"
            for name, plan in plans.items()
        ),
        encoding="utf-8",
    )
    for name, plan in plans.items():
        assert "Seq Scan on suggestions_case " not in plan + " ", (name, plan)
        assert re.search(r"(Index|Index Only|Bitmap Heap) Scan .*on suggestions_case ", plan), (
            name,
            plan,
        )
        assert _rows_read(plan) < ROWS // 5, (name, _rows_read(plan), plan)
        if name in OWN_INDEX:
            assert re.search(OWN_INDEX[name], plan), (name, plan)


def test_a_unit_finds_its_cases_through_its_indexes(county):
    """A unit's list (lead or co-unit) reads the lead-unit and the co-unit indexes."""
    world, _townships, _stations, units, _categories = county
    plan = _plan(world.users["committee"], {"unit": str(units[0].pk)})
    assert re.search(OWN_INDEX["unit"], plan), plan
    assert "suggestions_casecounit_unit_id" in plan or "case_co_unit_unit_idx" in plan, plan
    assert _rows_read(plan) < ROWS // 10, plan


def test_the_call_back_sweep_reads_its_partial_index(county):
    """The call-back sample reads only the replied cases not yet considered, through the
    partial index on ``callback_on``, whatever the size of the table."""
    query = Case.objects.filter(callback_on__lte=dt.date.today()).order_by("callback_on", "id")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "case_callback_due_idx" in plan, plan
