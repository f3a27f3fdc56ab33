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
