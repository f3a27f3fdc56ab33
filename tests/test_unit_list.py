"""The unit's page and the unit's API: each half of the lead-or-co-unit UNION ordered and
limited before the merge, the open work by default, the same cases in the same order as
the whole UNION sorted, and a constant number of queries."""

import copy
import datetime as dt
import hashlib
import json
import re

import pytest
from django.db import connection
from django.db.models.base import ModelState
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from suggestions.cases.staff.roles import UNIT_WORK_FIRST
from suggestions.models import Case, CaseCoUnit, Step, case_ids_handled_by
from tests.case_world import case_at, make_world
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen()]

PAGE = 50
# The co-unit table's (unit, case) index, or the one Django gives the unit's foreign key.
# The co-unit rows of one unit, by the deadline they copy (the unit page) or by case.
CO_UNIT_INDEX = r"case_co_unit_\w+|suggestions_casecounit_\w+"


def _copies(template: Case, count: int, *, unit, step: str = Step.HANDLING) -> list[int]:
    """``count`` copies of a case in one INSERT … SELECT, led by ``unit``, with deadlines
    spread over 60 days (or none, for a replied or closed step); returns their ids."""
    if connection.vendor != "postgresql":
        return _copies_in_python(template, count, unit=unit, step=step)
    columns = [
        f.column for f in Case._meta.concrete_fields if f.column not in ("id", "tracking_code")
    ]
    values = {
        "lead_unit_id": "%(unit)s",
        "step": "%(step)s",
        "deadline": "CASE WHEN %(dated)s THEN t.deadline + (i * 7) %% 60 END",
        # What a replied or closed case must have (the table's constraints).
        "result": "CASE WHEN %(dated)s THEN t.result ELSE 'solved' END",
        "replied_at": "CASE WHEN %(dated)s THEN t.replied_at ELSE t.received_at END",
        "satisfaction": "CASE WHEN %(dated)s THEN t.satisfaction ELSE 'satisfied' END",
    }
    select = ", ".join(values.get(c, f"t.{c}") for c in columns)
    sql = f"""
        INSERT INTO suggestions_case (tracking_code, {", ".join(columns)})
        SELECT translate(upper(substr(md5(%(salt)s || i), 1, 4) || '-'
                   || substr(md5(%(salt)s || i), 5, 4) || '-'
                   || substr(md5(%(salt)s || i), 9, 2)), '01', 'XY'),
               {select}
        FROM suggestions_case t, generate_series(1, %(count)s) AS i
        WHERE t.id = %(template)s
        RETURNING id
    """  # noqa: S608 (column names from the model; values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "unit": unit.pk,
                "step": step,
                "dated": step == Step.HANDLING,
                "count": count,
                "template": template.pk,
                "salt": f"{template.pk}-{unit.pk}-{step}-",
            },
        )
        return [row[0] for row in cursor.fetchall()]


def _copies_in_python(template: Case, count: int, *, unit, step: str) -> list[int]:
    """``_copies`` where there is no generate_series (SQLite): the same rows, made here."""
    dated = step == Step.HANDLING
    copies = []
    for i in range(1, count + 1):
        case = copy.copy(template)
        case.pk, case._state = None, ModelState()
        digest = hashlib.sha256(f"{template.pk}-{unit.pk}-{step}-{i}".encode()).hexdigest()
        code = digest[:10].upper().translate(str.maketrans("01", "XY"))
        case.tracking_code = f"{code[:4]}-{code[4:8]}-{code[8:]}"
        case.lead_unit_id, case.step = unit.pk, step
        if dated:
            if template.deadline is not None:
                case.deadline = template.deadline + dt.timedelta(days=(i * 7) % 60)
        else:
            case.deadline, case.result = None, "solved"
            case.replied_at, case.satisfaction = template.received_at, "satisfied"
        copies.append(case)
    return [case.pk for case in Case.objects.bulk_create(copies)]


def _reference(unit_ids, *, open_only=True) -> list[int]:
    """The unit's cases as the page sorted them before: the whole UNION, then the sort."""
    cases = Case.objects.filter(pk__in=case_ids_handled_by(unit_ids))
    if open_only:
        cases = cases.open()
    return list(cases.order_by(*UNIT_WORK_FIRST[1]).values_list("pk", flat=True))


def _page_ids(response) -> list[int]:
    return [row["id"] for row in response.context["listing"].page.object_list]


@pytest.fixture
def unit_world():
    """The lead unit's staff with 130 open cases led (deadlines spread), 20 replied (no
    deadline), 15 archived, 30 co-handled only, one both led and co-handled, and 200
    cases of another unit."""
    world = make_world()
    template = case_at(world, Step.HANDLING)  # led by world.unit, co-unit world.co_unit
    led = _copies(template, 130, unit=world.unit)
    _copies(template, 20, unit=world.unit, step=Step.REPLIED)
    _copies(template, 15, unit=world.unit, step=Step.ARCHIVED)
    others = _copies(template, 200, unit=world.other_unit)
    CaseCoUnit.objects.bulk_create(
        [CaseCoUnit(case_id=pk, unit=world.unit) for pk in others[:30]]
        + [CaseCoUnit(case_id=led[0], unit=world.unit)]
    )
    return world


def test_the_unit_page_pages_through_the_same_cases_in_the_same_order(unit_world):
    world = unit_world
    client = Client()
    client.force_login(world.users["lead_unit"])
    expected = _reference([world.unit.pk])
    assert len(expected) == 1 + 130 + 20 + 30  # the template, led, replied, co-handled
    pages = [client.get("/staff/unit/", {"page": n}) for n in (1, 2, 3, 4)]
    assert [_page_ids(page) for page in pages] == [
        expected[n * PAGE : (n + 1) * PAGE] for n in range(4)
    ]
    assert pages[0].context["listing"].page.paginator.count == len(expected)
    # Replied cases (nothing left to do for the unit) come after those with a deadline.
    replied = set(Case.objects.filter(step=Step.REPLIED).values_list("pk", flat=True))
    assert not replied & set(_page_ids(pages[0]))


def test_the_unit_page_shows_closed_and_all_on_request(unit_world):
    world = unit_world
    client = Client()
    client.force_login(world.users["lead_unit"])
    closed = client.get("/staff/unit/", {"state": "closed"})
    archived = set(Case.objects.filter(step=Step.ARCHIVED).values_list("pk", flat=True))
    assert set(_page_ids(closed)) == archived and len(archived) == 15
    everything = client.get("/staff/unit/", {"state": "all", "page": 4})
    full = _reference([world.unit.pk], open_only=False)
    assert _page_ids(everything) == full[3 * PAGE : 4 * PAGE]
    assert everything.context["listing"].page.paginator.count == len(full)
    # Filters and other sorts work within the halves as on the whole list.
    supervising = client.get("/staff/unit/", {"step": Step.REPLIED, "sort": "-received"})
    assert len(_page_ids(supervising)) == 20
    assert client.get("/staff/unit/", {"state": "nonsense"}).status_code == 200


def test_the_unit_api_lists_the_same_cases_newest_first(unit_world):
    world = unit_world
    client = APIClient()
    client.force_authenticate(world.users["lead_unit"])
    seen, url = [], "/api/v1/cases/?page_size=40"
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    expected = sorted(_reference([world.unit.pk], open_only=False), reverse=True)
    assert seen == expected
    # Another unit's staff see none of these but their own.
    other = APIClient()
    other.force_authenticate(world.users["other_unit"])
    ids = {row["id"] for row in other.get("/api/v1/cases/?page_size=100").json()["results"]}
    assert ids.isdisjoint(_reference([world.unit.pk], open_only=False))


def test_the_unit_api_queries_are_the_same_at_1_and_50_rows(unit_world):
    client = APIClient()
    client.force_authenticate(unit_world.users["lead_unit"])
    client.get("/api/v1/cases/")  # warm: the user's scope
    counts = {}
    for size in (1, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/v1/cases/", {"page_size": size})
        assert len(response.json()["results"]) == size
        counts[size] = len(queries)
    assert counts[1] == counts[50] <= 10, counts


def test_the_unit_page_as_it_opens_shows_what_the_filtered_page_shows(unit_world):
    """Asking no filter, the page reads its count and rows by SQL built once per process
    (``HandledByUnits.compiled``); ``state=open`` asks the same through the ORM's road."""
    client = Client()
    client.force_login(unit_world.users["lead_unit"])
    for params in ({}, {"page": 3}, {"sort": "-received", "page": 2}, {"sort": "deadline"}):
        opened = client.get("/staff/unit/", params)
        asked = client.get("/staff/unit/", {**params, "state": "open"})
        assert _page_ids(opened) == _page_ids(asked) and _page_ids(opened)
        assert opened.context["case_rows"] == asked.context["case_rows"]
        paginator = opened.context["listing"].page.paginator
        assert paginator.count == asked.context["listing"].page.paginator.count
    # The SQL is not built again: no ORM compilation on the second request of a page.
    from django.db.models.sql.compiler import SQLCompiler

    compiled = []
    original = SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        compiled.append(self.query.model)
        return original(self, *args, **kwargs)

    SQLCompiler.as_sql = as_sql
    try:
        with CaptureQueriesContext(connection) as queries:
            client.get("/staff/unit/", {"page": 3})
    finally:
        SQLCompiler.as_sql = original
    assert Case not in compiled, compiled
    listed = [q["sql"] for q in queries.captured_queries if '"suggestions_case"' in q["sql"]]
    assert len(listed) == 2, listed  # the count and the page's rows


def test_the_unit_page_queries_are_the_same_on_each_page(unit_world):
    client = Client()
    client.force_login(unit_world.users["lead_unit"])
    client.get("/staff/unit/")
    counts = []
    for params in ({}, {"page": 2}, {"state": "all", "page": 3}):
        with CaptureQueriesContext(connection) as queries:
            client.get("/staff/unit/", params)
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts


# EXPLAIN: each half of the UNION is a Limit over an index, reading no more than a page.


def _nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _explain(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def _union_halves(plan: dict) -> list[dict]:
    """The two branches of the lead-or-co-unit UNION, below their subquery scans."""
    for node in _nodes(plan):
        if node["Node Type"] == "Append" and len(node.get("Plans", [])) == 2:
            halves = []
            for half in node["Plans"]:
                while half["Node Type"] == "Subquery Scan":
                    half = half["Plans"][0]
                halves.append(half)
            return halves
    raise AssertionError(f"no UNION in the plan: {plan}")


def _captured(queries, *, needle: str) -> str:
    matching = [q["sql"] for q in queries.captured_queries if needle in q["sql"]]
    assert matching, [q["sql"][:200] for q in queries.captured_queries]
    return matching[0]


@pytest.fixture
def busy_unit(postgres):
    """A unit that leads 3,000 open cases and co-handles 100, among 23,000: about the
    share of the busiest unit of a county (1/52 at a million cases)."""
    world = make_world()
    template = case_at(world, Step.HANDLING)
    _copies(template, 3000, unit=world.unit)
    others = _copies(template, 20_000, unit=world.other_unit)
    CaseCoUnit.objects.bulk_create(
        [CaseCoUnit(case_id=pk, unit=world.unit) for pk in others[::200]]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE suggestions_case")
        cursor.execute("ANALYZE suggestions_casecounit")
        # At a few thousand rows a sequential scan, or walking the whole primary key to
        # merge it with the co-unit rows, costs little; forbid them, so that the plan is
        # the one PostgreSQL picks at a million cases (docs/benchmarks.md).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_mergejoin = off")
    return world


def test_each_half_of_the_unit_page_reads_at_most_a_page(busy_unit):
    client = Client()
    client.force_login(busy_unit.users["lead_unit"])
    client.get("/staff/unit/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/staff/unit/")
    assert len(_page_ids(response)) == PAGE
    page = _explain(_captured(queries, needle='ORDER BY U1."deadline" ASC'))
    led, co = _union_halves(page)
    for half in (led, co):
        assert half["Node Type"] == "Limit" and half["Actual Rows"] <= PAGE, half
    scans = [n for n in _nodes(led) if n.get("Index Name") == "case_unit_open_deadline_idx"]
    assert scans and all(scan["Actual Rows"] <= PAGE for scan in scans), led
    _assert_co_half_reads_a_page(co, PAGE)
    # The count stops at the bound, never reading every case of the unit: a Limit over
    # the two halves appended (the led ids first).
    count = _explain(_captured(queries, needle="SELECT COUNT(*)"))
    limits = [n for n in _nodes(count) if n["Node Type"] == "Limit"]
    assert limits and limits[0]["Plans"][0]["Node Type"] == "Append", count


def _assert_co_half_reads_a_page(co: dict, page: int) -> None:
    """The co-unit half walks the unit's co-unit rows by index in the list's order and
    reads the cases of one page (of the 100 the unit co-handles here), not more."""
    co_nodes = list(_nodes(co))
    co_units = [n for n in co_nodes if n.get("Relation Name") == "suggestions_casecounit"]
    assert co_units and all(
        re.fullmatch(CO_UNIT_INDEX, n.get("Index Name", "")) and n["Actual Rows"] <= page
        for n in co_units
    ), co
    read = sum(
        (n["Actual Rows"] + n.get("Rows Removed by Filter", 0)) * n["Actual Loops"]
        for n in co_nodes
        if n.get("Relation Name") == "suggestions_case"
    )
    assert read <= page, co


def test_each_half_of_the_unit_api_reads_at_most_a_page(busy_unit):
    client = APIClient()
    client.force_authenticate(busy_unit.users["lead_unit"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/cases/", {"page_size": 25})
    assert len(response.json()["results"]) == 25
    plan = _explain(_captured(queries, needle='ORDER BY U1."case_id" DESC'))
    led, co = _union_halves(plan)
    for half in (led, co):
        assert half["Node Type"] == "Limit" and half["Actual Rows"] <= 26, half
    scans = [n for n in _nodes(led) if n.get("Index Name") == "case_lead_unit_id_idx"]
    assert scans and all(scan["Actual Rows"] <= 26 for scan in scans), [
        (n["Node Type"], n.get("Index Name"), n.get("Actual Rows")) for n in _nodes(led)
    ]
    _assert_co_half_reads_a_page(co, 26)


def test_co_unit_rows_carry_their_case_deadline_whoever_writes_it(postgres):
    """The co-unit half orders by the co-unit rows' copy of the deadline: PostgreSQL keeps
    it on a new row, on a save, on a set-based UPDATE, and when a reply clears it."""
    world = make_world()
    case = case_at(world, Step.HANDLING)
    link = CaseCoUnit.objects.create(case=case, unit=world.other_unit)

    def copied():
        return CaseCoUnit.objects.values_list("deadline", flat=True).get(pk=link.pk)

    assert copied() == case.deadline is not None
    case.deadline += dt.timedelta(days=3)
    case.save(update_fields=["deadline"])
    assert copied() == case.deadline
    Case.objects.filter(pk=case.pk).update(deadline=dt.date(2031, 1, 2))
    assert copied() == dt.date(2031, 1, 2)
    Case.objects.filter(pk=case.pk).update(deadline=None, step=Step.WITHDRAWN)
    assert copied() is None
