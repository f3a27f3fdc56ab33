"""The unit's page and the unit's API at 1,000,000 cases: EXPLAIN ANALYZE of each page's
query and its count, and the median time of the page through Django's whole stack.

    createdb -h 127.0.0.1 -U postgres liaison_unit_bench
    DATABASE_STATEMENT_TIMEOUT=0 \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_unit_bench \\
        .venv/bin/python benchmarks/unit_page.py --cases 1000000 --co-handled 4615
    dropdb -h 127.0.0.1 -U postgres liaison_unit_bench

On an empty database it seeds the demo county and adds ``--cases`` open cases as
benchmarks/page_budget.py does (the demo's unit ``unit`` then leads about 1 in 52 of
them), and makes that unit co-unit of ``--co-handled`` cases other units lead. On a
database it seeded before, it only measures. Not a test: it prints the plans' times and
the rows each half of the lead-or-co-unit UNION read, for docs/benchmarks.md.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

PAGES = [
    ("staff: my unit", "/staff/unit/"),
    ("staff: my unit, page 3", "/staff/unit/?page=3"),
    ("staff: my unit, all", "/staff/unit/?state=all"),
    ("API: cases of my unit", "/api/v1/cases/"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--co-handled", type=int, default=0)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database.")
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    seed(args.cases, args.co_handled)
    for label, url in PAGES:
        measure(label, url, runs=args.runs)


def seed(cases: int, co_handled: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from suggestions.models import Case

    call_command("migrate", verbosity=0)
    if Case.objects.exists():
        return
    started = time.perf_counter()
    call_command("seed_demo", verbosity=0)
    from benchmarks.escalation_sweep import insert_cases

    insert_cases(cases, 0.01, timezone.localdate())
    add_co_handled(co_handled)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE suggestions_case")
    print(f"seeded {Case.objects.count():,} cases in {time.perf_counter() - started:.0f} s")


def add_co_handled(count: int) -> None:
    """Makes the demo's unit (the ``unit`` login's) co-unit of ``count`` cases other units
    lead, spread over the table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO suggestions_casecounit (case_id, unit_id) "
            "SELECT c.id, s.unit_id FROM suggestions_case c, suggestions_unitstaff s "
            "JOIN auth_user u ON u.id = s.user_id AND u.username = 'unit' "
            "WHERE c.lead_unit_id <> s.unit_id "
            "ORDER BY (c.id * 7919) %% 1000003 LIMIT %s ON CONFLICT DO NOTHING",
            [count],
        )
        cursor.execute("VACUUM ANALYZE suggestions_casecounit")


def measure(label: str, url: str, *, runs: int) -> dict:
    """The page's status, queries, median, and each plan's time and rows per UNION half."""
    import json

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(get_user_model().objects.get(username="unit"))
    client.get(url)
    times = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
    result = {"status": response.status_code, "queries": len(queries), "plans": []}
    print(
        f"\n{label} {url}: {response.status_code}, {len(queries)} queries, "
        f"median {statistics.median(times) * 1000:.1f} ms"
    )
    for query in queries.captured_queries:
        sql = query["sql"]
        if "suggestions_case" not in sql or "lead_unit_id" not in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
        plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]
        kind = "count" if sql.startswith("SELECT COUNT") else "page"
        halves = halves_read(plan["Plan"])
        result["plans"].append((kind, halves))
        print(
            f"  {kind}: {plan['Execution Time']:.1f} ms; case rows read by each UNION half: "
            f"{halves}"
        )
    return result


def nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)


def halves_read(plan: dict) -> list[int]:
    """Rows each branch of the UNION took from the case table (kept or filtered out)."""
    for node in nodes(plan):
        if node["Node Type"] == "Append" and len(node.get("Plans", [])) == 2:
            return [
                sum(
                    (n["Actual Rows"] + n.get("Rows Removed by Filter", 0)) * n["Actual Loops"]
                    for n in nodes(half)
                    if n.get("Relation Name") == "suggestions_case"
                )
                for half in node["Plans"]
            ]
    return []


if __name__ == "__main__":
    main()
