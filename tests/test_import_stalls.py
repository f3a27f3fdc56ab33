"""An import whose task died (a worker killed, a message lost) does not stay "checking" or
"importing" for ever: with no progress for IMPORT_STALL_MINUTES its page, the list and a
sweep show it stopped, with nothing written, and it can be run again. A slow one that
reports progress, or an apply that still holds its row, is left alone."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from liaison.base.models import ImportRecord, Region
from liaison.wiring.imports import services
from liaison.wiring.imports.tasks import fail_stalled_imports
from tests import liuyang_rosters as liuyang
from tests.clock import WORKDAY, frozen, moment
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, frozen()]
T0 = moment(WORKDAY)
Status = ImportRecord.Status


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    settings.IMPORT_STALL_MINUTES = 10


@pytest.fixture(autouse=True)
def no_earlier_progress():
    """The progress reports live in the cache (Redis in the suite), keyed by record and
    start: a run of the suite starts without those of the last one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def tasks_here():
    from liaison.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def admin():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def uploaded(admin) -> ImportRecord:
    """A regions file uploaded whose check task never ran."""
    path = liuyang.stored()["regions"]
    with path.open("rb") as handle:
        return services.import_upload(
            kind="regions", file=handle, name=path.name, size=path.stat().st_size, actor=admin
        )


def test_a_check_without_progress_shows_stopped_and_runs_again(
    client, admin, time_machine, django_capture_on_commit_callbacks
):
    record = uploaded(admin)
    client.force_login(admin)
    time_machine.move_to(T0 + dt.timedelta(minutes=9, seconds=59), tick=False)
    page = client.get(f"/staff/imports/{record.pk}/").content.decode()
    assert 'data-status="checking"' in page

    time_machine.move_to(T0 + dt.timedelta(minutes=10, seconds=1), tick=False)
    page = client.get(f"/staff/imports/{record.pk}/").content.decode()
    record.refresh_from_db()
    assert record.status == Status.FAILED
    assert record.errors == [
        [0, "", "检查未完成就中断了：已有 10 分钟没有进展。没有写入任何数据。请重新运行。"]
    ]
    assert 'data-status="failed"' in page and "重新运行" in page
    assert "hx-trigger" not in page  # no longer reloads itself
    assert Region.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/imports/{record.pk}/retry/")
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.errors, record.created) == (Status.PREVIEWED, [], 70)
    assert record.started_at == T0 + dt.timedelta(minutes=10, seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/staff/imports/{record.pk}/apply/")
    record.refresh_from_db()
    assert record.status == Status.APPLIED and Region.objects.count() == 70


def test_progress_keeps_a_slow_check_alive(admin, time_machine):
    record = uploaded(admin)
    time_machine.move_to(T0 + dt.timedelta(minutes=8), tick=False)
    services._report(record, 500, 30000)
    time_machine.move_to(T0 + dt.timedelta(minutes=17), tick=False)
    assert fail_stalled_imports() == 0
    time_machine.move_to(T0 + dt.timedelta(minutes=18, seconds=1), tick=False)
    assert fail_stalled_imports() == 1
    record.refresh_from_db()
    assert record.status == Status.FAILED
    # The task's late start finds it stopped and leaves it so.
    assert services.import_check(record_id=record.pk).status == Status.FAILED


def test_the_list_shows_stopped_imports_and_only_stopped_ones_run_again(
    client, admin, time_machine
):
    record = uploaded(admin)
    time_machine.move_to(T0 + dt.timedelta(hours=2), tick=False)
    # Signed in now: a session idle for the two hours is signed out (SESSION_IDLE_SECONDS).
    client.force_login(admin)
    page = client.get("/staff/imports/").content.decode()
    assert "已中断" in page
    record.refresh_from_db()
    assert record.status == Status.FAILED
    applied = uploaded(admin)
    ImportRecord.objects.filter(pk=applied.pk).update(status=Status.APPLIED)
    response = client.post(f"/staff/imports/{applied.pk}/retry/", follow=True)
    assert "只有已中断的导入才能重新运行。" in response.content.decode()
    assert ImportRecord.objects.get(pk=applied.pk).status == Status.APPLIED
    client.force_login(UserFactory(username="plain"))
    assert client.post(f"/staff/imports/{record.pk}/retry/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_an_apply_that_holds_its_row_is_alive(postgres, admin, time_machine):
    record = uploaded(admin)
    ImportRecord.objects.filter(pk=record.pk).update(status=Status.APPLYING, started_at=T0)
    locked, release = threading.Event(), threading.Event()

    def apply_running():
        try:
            with transaction.atomic():
                ImportRecord.objects.select_for_update().get(pk=record.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=apply_running)
    worker.start()
    try:
        assert locked.wait(10)
        time_machine.move_to(T0 + dt.timedelta(hours=1), tick=False)
        assert services.import_fail_stalled() == 0
    finally:
        release.set()
        worker.join()
    assert services.import_fail_stalled() == 1
    record.refresh_from_db()
    assert record.status == Status.FAILED
    assert "导入未完成就中断了" in record.errors[0][2]
