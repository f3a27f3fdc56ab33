"""/staff/imports/: administrators only; upload → preview → confirm through the page;
the templates and exports download as Excel and CSV with the roster's columns."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from liaison.base.models import ImportRecord, Region
from liaison.wiring.imports.rosters import ROSTERS
from tests import liuyang_rosters as liuyang
from tests.factories import UserFactory
from tests.import_helpers import load

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_only_administrators_reach_the_imports(client):
    client.force_login(UserFactory(username="plain"))
    assert client.get("/staff/imports/").status_code == 404
    assert client.get("/staff/imports/regions/template.xlsx").status_code == 404
    client.logout()
    assert client.get("/staff/imports/").status_code == 302


def test_upload_preview_and_confirm(admin_client, tmp_path, django_capture_on_commit_callbacks):
    path = liuyang.write("regions", liuyang.rows()["regions"], tmp_path)
    upload = SimpleUploadedFile("浏阳区划.xlsx", path.read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/staff/imports/", {"kind": "regions", "file": upload})
    record = ImportRecord.objects.get()
    assert response.url == f"/staff/imports/{record.pk}/"
    page = admin_client.get(response.url).content.decode()
    assert "确认导入" in page and 'data-count="created">70<' in page
    assert Region.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/staff/imports/{record.pk}/apply/")
    assert response.status_code == 302
    assert Region.objects.count() == 70
    assert "已导入。" in admin_client.get(response.url).content.decode()
    # A second confirm of the same preview writes nothing and says so.
    response = admin_client.post(f"/staff/imports/{record.pk}/apply/", follow=True)
    assert "此文件已经导入或未通过" in response.content.decode()
    assert "浏阳区划.xlsx" in admin_client.get("/staff/imports/").content.decode()


def test_a_running_check_shows_its_progress_until_done(admin_client, tmp_path):
    from liaison.wiring.imports import services

    path = liuyang.write("regions", liuyang.rows()["regions"], tmp_path, "csv")
    with path.open("rb") as handle:
        record = services.import_upload(
            kind="regions", file=handle, name=path.name, size=path.stat().st_size, actor=None
        )
    page = admin_client.get(f"/staff/imports/{record.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "<progress></progress>" in page
    services.import_check(record_id=record.pk)
    assert services.progress_of(record) == (0, 70)
    page = admin_client.get(f"/staff/imports/{record.pk}/").content.decode()
    assert "<progress" not in page and "hx-trigger" not in page and "确认导入" in page


def test_a_bad_file_shows_its_rows_and_no_confirm(admin_client, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("区划.csv", "统计用区划代码,名称\n4301,浏阳\n".encode("gbk"))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/staff/imports/", {"kind": "regions", "file": upload})
    page = admin_client.get(response.url).content.decode()
    assert "确认导入" not in page
    assert "<td>2</td><td>统计用区划代码</td>" in page
    assert ImportRecord.objects.get().status == ImportRecord.Status.REFUSED


@pytest.mark.parametrize(
    "kind", [kind for kind, importer in ROSTERS.items() if not importer.archive]
)
def test_templates_and_exports_carry_the_roster_columns(admin_client, kind):
    headers = [column.header for column in ROSTERS[kind].columns]
    response = admin_client.get(f"/staff/imports/{kind}/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    first = next(sheet.iter_rows(values_only=True))
    assert [header.rstrip("*") for header in first] == headers
    response = admin_client.get(f"/staff/imports/{kind}/export.csv")
    text = response.content.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == headers
    assert response["Content-Disposition"] == f'attachment; filename="{kind}-export.csv"'


def test_the_go_live_checklist_shows_what_is_missing(
    admin_client, tmp_path, django_assert_max_num_queries
):
    from stations.models import Station
    from stations.planning import reception_plan_generate

    def states():
        page = admin_client.get("/staff/go-live/?year=2027").content.decode()
        return dict(re.findall(r'data-item="(\w+)" data-done="(\w+)"', page))

    assert states()["stations"] == "no" and states()["regions"] == "no"
    data = liuyang.rows()
    # A few representatives in every station keep the plan quick to generate.
    data["representatives"] = data["representatives"][-200:]
    for kind in ["regions", "stations", "units", "representatives", "staff"]:
        load(kind, liuyang.write(kind, data[kind], tmp_path))
    reception_plan_generate(year=2027, stations=Station.objects.all())
    with django_assert_max_num_queries(20):
        after = states()
    assert after == {
        "calendar": after["calendar"],
        "regions": "yes",
        "stations": "yes",
        "representatives": "yes",
        "groups": "no",
        "photos": "no",
        "units": "yes",
        "users": "yes",
        "rules": "no",
        "plan": "yes",
        "published": "no",
        "posters": "no",
    }
