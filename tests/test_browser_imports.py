"""A county goes live in one browser session, in real Chromium: the administrator downloads
a template, uploads the stored 浏阳-sized rosters (tests/data/liuyang/) one by one (regions, stations, units, 2,624
representatives of five levels, staff), reads each preview, confirms, and sees a bad file
listed row by row in Chinese with nothing written; then fills a station's year plan,
publishes it and opens the printable poster. The wall time of the imports is recorded in
test-artifacts/import-timing.txt (docs/benchmarks.md)."""

import time

import pytest
from django.conf import settings
from django.utils import timezone
from openpyxl import load_workbook

from liaison.base.models import ImportRecord, Region
from representatives.models import Representative
from stations.models import ReceptionDay, Station, StationMembership
from tests import liuyang_rosters as liuyang
from tests.browser_helpers import loaded_width
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORDER = [
    ("regions", 70),
    ("stations", 67),
    ("units", 48),
    ("representatives", 2624),
    ("staff", 149),
]


@pytest.fixture(autouse=True)
def tasks_here():
    """The page's preview and apply are Celery tasks: run here, as without a broker."""
    from liaison.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


def upload(page, kind, path):
    page.goto("/staff/imports/")
    page.select_option("#id_kind", kind)
    page.set_input_files("#id_file", str(path))
    # The preview of 2,624 representatives reads and checks every row in the request:
    # seconds, more on a loaded machine than the default wait.
    page.get_by_role("button", name="检查文件").click(timeout=120_000)
    page.wait_for_url("**/staff/imports/*/", timeout=120_000)


def test_a_county_goes_live_in_one_session(page, login, screenshot, tmp_path):
    files = liuyang.stored()
    admin = UserFactory(username="go-live", is_staff=True, is_superuser=True)
    login(page, admin)

    page.goto("/staff/imports/")
    with page.expect_download() as download:
        page.locator("a[href$='/imports/representatives/template.xlsx']").click()
    with open(download.value.path(), "rb") as handle:
        template = load_workbook(handle, read_only=True).worksheets[0]
        header = next(template.iter_rows(values_only=True))
    assert header[:2] == ("代表编号*", "姓名*")

    (tmp_path / "bad").mkdir()
    bad = liuyang.write("regions", [["430182001000", "", "无县之镇"]], tmp_path / "bad")
    upload(page, "regions", bad)
    row = page.locator(".import-errors tbody tr")
    assert row.locator("td").all_inner_texts() == [
        "2",
        "统计用区划代码",
        "上级区划 430182000000 既不在文件中，也不在数据库中。",
    ]
    assert page.get_by_role("button", name="确认导入").count() == 0
    screenshot(page, "import-refused")
    assert Region.objects.count() == 0

    started = time.monotonic()
    for kind, rows in ORDER:
        upload(page, kind, files[kind])
        assert page.locator("[data-count=created]").inner_text() == str(rows)
        assert page.locator("[data-count=errors]").inner_text() == "0"
        if kind == "representatives":
            screenshot(page, "import-preview")
        page.get_by_role("button", name="确认导入").click(timeout=120_000)
        page.get_by_text("已导入。").wait_for(timeout=120_000)
    wall = time.monotonic() - started
    screenshot(page, "import-applied")

    assert Representative.objects.count() == 2624
    assert StationMembership.objects.count() == 2624
    assert ImportRecord.objects.filter(status="applied", actor=admin).count() == 5
    folder = settings.BASE_DIR / "test-artifacts"
    folder.mkdir(exist_ok=True)
    (folder / "import-timing.txt").write_text(
        f"浏阳-sized rosters (70 regions, 67 stations, 48 units, 2,624 representatives, "
        f"149 staff roles) uploaded, previewed and applied in Chromium: {wall:.1f} s\n"
    )
    print(f"import wall time: {wall:.1f} s")

    station = Station.objects.get(code="LY-001")
    # Next year's plan: its days are all still to come, whatever day the test runs.
    year = timezone.localdate().year + 1
    page.goto(f"/staff/reception/plan/?station={station.pk}&year={year}")
    page.get_by_role("button", name="补全全年计划").click()
    page.get_by_role("button", name="发布所有已安排代表的计划接待日").click()
    page.wait_for_load_state()
    assert ReceptionDay.objects.filter(station=station, status="published").exists()
    page.goto(f"/stations/{station.pk}/poster/")
    qr = page.locator("img.poster-qr")
    assert loaded_width(qr) > 0
    assert page.locator(".poster .days li").count() >= 1
    assert page.locator(".poster h1").inner_text() == "淮川街道人大代表联络站"
    screenshot(page, "go-live-poster")
