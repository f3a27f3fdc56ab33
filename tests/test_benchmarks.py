"""The benchmark scripts against the current schema and URLs, at a tiny size, so that they
still run when someone needs their figures (they are not timed here)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import clear_url_caches

from benchmarks import unit_page
from benchmarks.escalation_sweep import insert_cases
from benchmarks.page_budget import install_urls, measure
from suggestions.models import Case, Step
from tests.clock import frozen

TODAY = dt.date(2026, 11, 23)

# The demo and the bulk cases are laid out around today; so are the pages' sections.
pytestmark = [pytest.mark.django_db, frozen(TODAY)]


@pytest.fixture
def demo_with_bulk_cases(postgres):
    call_command("seed_demo", verbosity=0)
    before = Case.objects.count()
    insert_cases(300, 0.1, TODAY)
    return before


def test_the_bulk_case_loader_fills_every_column_the_schema_requires(demo_with_bulk_cases):
    added = Case.objects.order_by("-pk")[:300]
    assert Case.objects.count() == demo_with_bulk_cases + 300
    assert {case.step for case in added} <= {Step.HANDLING, Step.SUPERVISING}
    assert sum(case.deadline < TODAY for case in added) == 30


def test_every_page_of_the_budget_benchmark_answers(demo_with_bulk_cases, settings):
    settings.ROOT_URLCONF = install_urls()
    clear_url_caches()
    try:
        rows = measure(runs=1, warmup=0)
    finally:
        clear_url_caches()
    assert [row["label"] for row in rows if row["status"] != 200] == []
    assert all(row["queries"] <= 10 for row in rows), rows


def test_the_unit_page_benchmark_reads_both_halves(demo_with_bulk_cases):
    for label, url in unit_page.PAGES:
        result = unit_page.measure(label, url, runs=1)
        assert result["status"] == 200, label
        kinds = [kind for kind, _halves in result["plans"]]
        assert "page" in kinds, (label, result)
        assert all(len(halves) == 2 for _kind, halves in result["plans"]), (label, result)


WRK_REPORT = """Running 10s test @ http://127.0.0.1:40000/
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    28.52ms    5.10ms  80.11ms   90.12%
    Req/Sec   561.20     40.31   620.00     70.00%
  Latency Distribution
     50%   27.90ms
     75%   29.80ms
     90%   33.10ms
     99%   51.00ms
  5612 requests in 10.00s, 9.12MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    561.15
Transfer/sec:      0.91MB
"""


def test_the_http_benchmark_reads_wrk_s_report():
    from benchmarks.http_budget import parse_wrk

    assert parse_wrk(WRK_REPORT) == {"rps": 561.15, "p50_ms": 27.9, "bad": 7}
    assert parse_wrk(WRK_REPORT.replace("27.90ms", "1.20s"))["p50_ms"] == 1200.0


class _RecordedLoad:
    """wrk's figures in the order the runs are asked for: the machine's speed drifting."""

    def __init__(self, rates: list[float]):
        self.rates, self.asked = iter(rates), []

    def run(self, page, cookies):
        self.asked.append(page.label)
        return {"rps": next(self.rates), "p50_ms": 1.0, "bad": 0}


def test_the_http_benchmark_divides_each_page_by_the_yardsticks_on_either_side_of_it():
    from benchmarks.http_budget import Page, measure_interleaved

    yardstick = Page("yardstick", None, "/y/", 1.0)
    pages = [Page("a", None, "/a/", 0.4), Page("b", None, "/b/", 0.4)]
    # Round 1 on a machine slowing down (400 → 200), round 2 on a steady one (300).
    load = _RecordedLoad([400, 175, 300, 100, 200, 300, 150, 300, 120, 300])
    measure_interleaved(load, pages, yardstick, {}, rounds=2)

    assert load.asked == ["yardstick", "a", "yardstick", "b", "yardstick"] * 2
    assert pages[0].shares == [0.5, 0.5]
    assert pages[1].shares == [0.4, 0.4]
    assert pages[0].figures["rps"] == 162.5
    assert (pages[0].figures["low"], pages[0].figures["high"]) == (150, 175)
    assert yardstick.figures["rps"] == 300


def test_every_page_of_the_http_benchmark_answers_and_its_yardstick_runs_one_query(
    demo_with_bulk_cases, settings
):
    from benchmarks.http_budget import count_queries, log_in, pages_to_measure

    settings.ROOT_URLCONF = "benchmarks.http_urls"
    pages, yardstick = pages_to_measure()
    count_queries([*pages, yardstick])
    assert [(page.label, page.status) for page in pages if page.status != 200] == []
    assert yardstick.status == 200
    assert yardstick.queries == 1
    # The cookies handed to wrk are live sessions of the staff logins.
    cookies = log_in({"committee", "unit"})
    from django.test import Client

    response = Client(headers={"cookie": cookies["unit"]}).get("/staff/unit/")
    assert response.status_code == 200


def test_the_status_lookup_that_wrk_posts_passes_the_csrf_check(demo_with_bulk_cases):
    from urllib.parse import parse_qs

    from django.test import Client

    from benchmarks.http_budget import CSRF_SECRET, pages_to_measure, post_script

    status = next(page for page in pages_to_measure()[0] if page.form)
    script = post_script(status.form)
    body = script.split('wrk.body = "')[1].split('"\n')[0]
    client = Client(enforce_csrf_checks=True, headers={"cookie": f"csrftoken={CSRF_SECRET}"})
    response = client.post(status.path, {k: v[0] for k, v in parse_qs(body).items()})
    assert response.status_code == 200
    assert status.form["code"] in response.content.decode()
