"""The speed budgets of DESIGN.md, measured: list pages and list API calls within about
2.5× of a one-query Django view, public pages within about 2×, at 1,000,000 cases.

    createdb -h 127.0.0.1 -U postgres liaison_budget
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_budget \
        .venv/bin/python benchmarks/page_budget.py --cases 1000000
    dropdb -h 127.0.0.1 -U postgres liaison_budget

Meant for an empty, throw-away database: it migrates, seeds the demo county
(``seed_demo``: regions, stations, representatives, reception days, visits, cases and
suggestions in every step, one login per role), then adds ``--cases`` open cases over
the demo's visits, units and categories (benchmarks/escalation_sweep.py's
``insert_cases``). Each page is requested in-process through Django's full stack
(middleware, sessions, templates; no network), ``--warmup`` times and then
``--runs`` times, and its median time is compared with the median of a view that
runs one query, measured the same way in the same run, signed in or not as the page
is. Not a test: it prints a table for docs/benchmarks.md and exits 1 over budget.
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

LIST_BUDGET, PUBLIC_BUDGET = 2.5, 2.0


FIELDS = ("pk", "tracking_code", "title", "step", "deadline", "received_at", "region_id")


def one_row(request):
    """The yardstick of a page about one thing: one indexed query, one row as JSON."""
    from django.http import JsonResponse

    from suggestions.models import Case

    return JsonResponse(Case.objects.values(*FIELDS).order_by("-pk").first())


def one_page(request):
    """The yardstick of a list: one indexed query for a page of 50 rows, as JSON."""
    from django.http import JsonResponse

    from suggestions.models import Case

    return JsonResponse({"results": list(Case.objects.values(*FIELDS).order_by("-pk")[:50])})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to an empty PostgreSQL database.")
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # The benchmark asks for a case's status more often than a visitor may.
    os.environ["STATUS_LIMIT_PER_IP_10MIN"] = "1000000"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.urls import clear_url_caches
    from django.utils import timezone

    from suggestions.models import Case

    call_command("migrate", verbosity=0)
    if Case.objects.exists():
        sys.exit("The database already holds cases: use an empty one.")
    started = time.perf_counter()
    call_command("seed_demo", verbosity=0)
    from benchmarks.escalation_sweep import insert_cases

    insert_cases(args.cases, 0.01, timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = Case.objects.count()
    print(
        f"demo + {args.cases:,} cases ({total:,} in all) in {time.perf_counter() - started:.0f} s"
    )

    settings.ROOT_URLCONF = install_urls()
    settings.ALLOWED_HOSTS = ["testserver"]
    clear_url_caches()

    rows = measure(runs=args.runs, warmup=args.warmup)
    print_table(rows, total)
    sys.exit(1 if any(not row["ok"] for row in rows) else 0)


def install_urls() -> str:
    """The product's URLs plus the two yardsticks, as an importable URLconf module."""
    from django.urls import include, path

    module = type(sys)("page_budget_urls")
    module.urlpatterns = [
        path("__one_row__/", one_row),
        path("__one_page__/", one_page),
        path("", include("liaison.wiring.urls")),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def pages():
    """(kind, who, label, method, url, data): who is a demo login or None."""
    from representatives.models import Representative
    from stations.models import Station, Visit
    from suggestions.models import Case

    representative = Representative.objects.filter(published=True).order_by("pk").first()
    station = Station.objects.order_by("pk").first()
    visit = Visit.objects.exclude(constituent_phone="").order_by("pk").first()
    case = Case.objects.filter(visit=visit).order_by("pk").first()
    status = {"code": case.tracking_code, "check": visit.constituent_phone[-4:]}
    return [
        ("list", "committee", "API: cases", "get", "/api/v1/cases/", None),
        ("list", "committee", "API: cases, overdue", "get", "/api/v1/cases/?overdue=true", None),
        ("list", "committee", "API: cases of one station", "get",
         f"/api/v1/cases/?station={station.pk}", None),
        ("list", "unit", "API: cases of my unit", "get", "/api/v1/cases/", None),
        ("list", "committee", "staff: cases", "get", "/staff/cases/", None),
        ("list", "committee", "staff: inbox", "get", "/staff/inbox/", None),
        ("list", "committee", "staff: overdue", "get", "/staff/overdue/", None),
        ("list", "unit", "staff: my unit", "get", "/staff/unit/", None),
        ("list", "liaison", "staff: my work", "get", "/staff/", None),
        ("list", "committee", "API: suggestions", "get", "/api/v1/suggestions/", None),
        ("public", None, "public: home", "get", "/", None),
        ("public", None, "public: representatives", "get", "/representatives/", None),
        ("public", None, "public: a profile", "get",
         f"/representatives/{representative.pk}/", None),
        ("public", None, "public: a station", "get", f"/stations/{station.pk}/", None),
        ("public", None, "public: case status", "post", "/cases/status/", status),
        ("public", None, "public API: representatives", "get",
         "/api/v1/public/representatives/", None),
    ]  # fmt: skip


def measure(*, runs: int, warmup: int) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def timed(client, method, url, data) -> tuple[float, int, int]:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = getattr(client, method)(url, data)
            elapsed = time.perf_counter() - started
        return elapsed, response.status_code, len(queries)

    def median(client, method, url, data) -> tuple[float, int, int]:
        for _ in range(warmup):
            timed(client, method, url, data)
        times = [timed(client, method, url, data) for _ in range(runs)]
        return statistics.median(t for t, _, _ in times), times[-1][1], times[-1][2]

    clients: dict = {}

    def client_for(who):
        if who not in clients:
            client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
            if who:
                client.force_login(get_user_model().objects.get(username=who))
            clients[who] = client
        return clients[who]

    yardsticks = {}
    rows = []
    for kind, who, label, method, url, data in pages():
        client = client_for(who)
        yardstick = "/__one_page__/" if kind == "list" else "/__one_row__/"
        if (who, yardstick) not in yardsticks:
            yardsticks[who, yardstick] = median(client, "get", yardstick, None)[0]
        base = yardsticks[who, yardstick]
        seconds, status, queries = median(client, method, url, data)
        ratio = seconds / base
        budget = LIST_BUDGET if kind == "list" else PUBLIC_BUDGET
        rows.append(
            {
                "label": label,
                "who": who or "anonymous",
                "status": status,
                "queries": queries,
                "ms": seconds * 1000,
                "base_ms": base * 1000,
                "ratio": ratio,
                "budget": budget,
                "ok": status in (200, 201) and ratio <= budget,
            }
        )
    return rows


def print_table(rows: list[dict], total: int) -> None:
    print(f"\n| page ({total:,} cases) | as | status | queries | median | one-query view | ratio "
          "| budget |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        mark = "" if row["ok"] else " **over**"
        print(
            f"| {row['label']} | {row['who']} | {row['status']} | {row['queries']} "
            f"| {row['ms']:.1f} ms | {row['base_ms']:.1f} ms | {row['ratio']:.2f}×{mark} "
            f"| {row['budget']}× |"
        )


if __name__ == "__main__":
    main()
