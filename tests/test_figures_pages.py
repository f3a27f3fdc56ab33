"""The dashboards show the documents' numbers; every number opens the list of exactly the
cases behind it; ledgers and the bulletin carry the same numbers; scope holds."""

import io
import re

import openpyxl
import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils.translation import gettext
from docx import Document

from figures.definitions import BY_KEY
from figures.models import LedgerExport
from liaison.base.audit import AuditAction, AuditRecord
from liaison.celery import app
from suggestions.models import ReplyResult
from tests import figures_documents
from tests.clock import frozen
from tests.factories import committee_user

pytestmark = [pytest.mark.django_db, frozen()]


@pytest.fixture(scope="module")
def documents(django_db_setup, django_db_blocker):
    """Built once for the module (thousands of rows), and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        if connection.vendor == "postgresql":
            # Loading the fixture is not a request: no web statement timeout (a loaded CI
            # machine may take longer), for this transaction only.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = 0")
        yield figures_documents.build()
        transaction.set_rollback(True)


def card(html: str, key: str) -> str:
    found = re.search(rf'data-figure="{key}">.*?<dd>(.*?)</dd>', html, re.S)
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def dashboard(client, county: str, **params):
    client.force_login(committee_user(county))
    response = client.get(reverse("staff:figures"), params)
    assert response.status_code == 200
    return response


def test_xiangtan_592_received_389_collected_142_solved(client, documents):
    html = dashboard(client, "430321000000", period="year", year=2026).content.decode()
    assert (card(html, "people"), card(html, "collected"), card(html, "solved")) == (
        "592",
        "389",
        "142",
    )


def test_changsha_county_reception_day(client, documents):
    """1160 representatives entered, 7237 people, 122 talks, 563 opinions, 123 solved."""
    html = dashboard(
        client, "430121000000", period="custom", start="2026-11-15", end="2026-11-15"
    ).content.decode()
    figures = {
        key: card(html, key) for key in ("entered", "people", "talks", "collected", "solved")
    }
    assert figures == {
        "entered": "1160",
        "people": "7237",
        "talks": "122",
        "collected": "563",
        "solved": "123",
    }


def test_chenxi_since_2021(client, documents):
    html = dashboard(
        client, "431223000000", period="custom", start="2021-01-01", end="2023-12-31"
    ).content.decode()
    assert (card(html, "collected"), card(html, "assigned"), card(html, "completed")) == (
        "4320",
        "4222",
        "3935",
    )


def test_liuyang_970_suggestions_84_5_percent(client, documents):
    html = dashboard(client, "430181000000", period="year", year=2022).content.decode()
    assert re.search(r'data-figure="suggestions-total">970<', html)
    assert re.search(r'data-figure="suggestions-satisfaction">84\.5%<', html)


def test_every_number_opens_exactly_its_cases(client, documents):
    response = dashboard(
        client, "431223000000", period="custom", start="2021-01-01", end="2023-12-31"
    )
    values = response.context["values"]
    opened = 0
    for item in response.context["cards"]:
        figure = BY_KEY[item["key"]]
        if not item["url"] or not item["url"].startswith(reverse("staff:case-list")):
            continue
        listing = client.get(item["url"]).context["listing"]
        expected = values[figure.rate_of[0]] if figure.rate_of else values[item["key"]]
        assert listing.page.paginator.count == expected, item["key"]
        opened += 1
    assert opened >= 9


def test_another_county_is_not_found(client, documents):
    client.force_login(committee_user("430181000000"))
    for url in (
        reverse("staff:figures"),
        reverse("staff:figures-bulletin"),
        reverse("staff:figures-ledger", args=["cases"]),
    ):
        assert client.get(url, {"region": "430121000000"}).status_code == 404


def test_the_case_ledger_and_the_bulletin_carry_the_same_numbers(client, documents):
    client.force_login(committee_user("430321000000"))
    params = {"period": "year", "year": 2026}
    ledger = client.get(reverse("staff:figures-ledger", args=["cases"]), params)
    assert ledger.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(ledger.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    heads = [cell.value for cell in sheet[1]]
    result = heads.index(gettext("Result"))
    assert len(rows) == 389
    assert sum(row[result] == str(ReplyResult.SOLVED.label) for row in rows) == 142
    # An export is a security event in the audit chain (MLPS): who, which ledger, how big.
    record = AuditRecord.objects.get(action=AuditAction.EXPORT)
    assert (record.object_type, record.detail) == ("figures.ledger.cases", "389 rows")
    assert record.username == ledger.wsgi_request.user.username
    word = client.get(reverse("staff:figures-bulletin-docx"), params)
    document = Document(io.BytesIO(word.content))
    figures = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert figures[str(BY_KEY["collected"].label)] == "389"
    assert figures[str(BY_KEY["solved"].label)] == "142"
    assert figures[str(BY_KEY["people"].label)] == "592"


def test_the_dashboard_reads_a_constant_number_of_queries(
    client, documents, django_assert_max_num_queries
):
    client.force_login(committee_user("430121000000"))
    with django_assert_max_num_queries(30):
        client.get(reverse("staff:figures"), {"period": "year", "year": 2026})


@pytest.fixture
def eager_tasks():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_a_large_ledger_is_written_in_the_background_with_progress(
    client, documents, settings, tmp_path, eager_tasks, django_capture_on_commit_callbacks
):
    """Over FIGURES_LEDGER_INLINE_ROWS the ledger becomes an export (run in this process
    without a worker): its page shows it done, the link downloads it, only for its owner."""
    settings.FIGURES_LEDGER_INLINE_ROWS = 100
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    owner = committee_user("430321000000")
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(
            reverse("staff:figures-ledger", args=["visits"]), {"period": "year", "year": 2026}
        )
    assert response.status_code == 302
    export = LedgerExport.objects.get(user=owner)
    assert (export.status, export.rows_total, export.progress) == ("done", 296, 100)
    page = client.get(response.url).content.decode()
    assert reverse("staff:figures-export-download", args=[export.pk]) in page
    download = client.get(reverse("staff:figures-export-download", args=[export.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert sheet.max_row == 297
    record = AuditRecord.objects.get(action=AuditAction.EXPORT)
    assert (record.username, record.detail) == (owner.username, "visits, 296 rows")
    people = [cell.value for cell in sheet[1]].index(gettext("People"))
    assert sum(row[people] for row in sheet.iter_rows(min_row=2, values_only=True)) == 592
    client.force_login(committee_user("430321000000"))
    assert client.get(response.url).status_code == 404
