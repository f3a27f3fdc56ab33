"""The figures in real Chromium: the committee opens its dashboard, changes the period,
clicks a figure and lands on the cases behind it; exports the case ledger and the
bulletin, and the files (openpyxl, python-docx) hold the same numbers."""

import io

import openpyxl
import pytest
from docx import Document

from figures import rollups
from tests import figures_documents
from tests.factories import committee_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_committee_dashboard_drill_down_ledger_and_bulletin(page, login, screenshot):
    figures_documents.xiangtan()
    rollups.rebuild()
    login(page, committee_user("430321000000"))
    page.goto("/staff/figures/")
    page.select_option("#id_period", "year")
    page.fill("#id_year", "2026")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**period=year**")
    assert page.locator(".period-label").inner_text() == "2026年"
    assert page.locator('[data-figure="collected"] dd').inner_text() == "389"
    assert page.locator('[data-figure="people"] dd').inner_text() == "592"
    page.locator(".chart svg").first.wait_for()  # ECharts drew beside its table
    screenshot(page, "figures-dashboard")

    page.locator('[data-figure="solved"] dd a').click()
    page.wait_for_url("**/staff/cases/?**result=solved**")
    assert page.locator(".list-tools .count").inner_text() == "共 142 条"

    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="群众意见办理台账 (Excel)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    result = [cell.value for cell in sheet[1]].index("办理结果")
    assert len(rows) == 389
    assert sum(row[result] == "已解决或基本解决" for row in rows) == 142

    page.get_by_role("link", name="工作动态（月报）").click()
    page.wait_for_url("**/staff/figures/bulletin/**")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载Word文档").click()
    assert download.value.suggested_filename.endswith(".docx")
    document = Document(io.BytesIO(download.value.path().read_bytes()))
    figures = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert figures["收集意见建议"] == "389"
    assert figures["解决（含基本解决）"] == "142"
    assert figures["接待群众（人次）"] == "592"
