"""A zip of representatives' photos, each named by its representative (number within the
term, or 姓名_区划代码): checked photo by photo, bad ones reported by file name in Chinese
with nothing written, applied all at once; the same zip again, and the export of the
photos, import back without a change."""

import io
import random
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from liaison.base.models import ImportRecord
from representatives.models import Representative
from tests.factories import RepresentativeFactory, UserFactory
from tests.import_helpers import errors_of, load, preview

pytestmark = pytest.mark.django_db
Status = ImportRecord.Status


@pytest.fixture(autouse=True)
def files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def tasks_here():
    from liaison.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def people():
    numbered = RepresentativeFactory(name="李红", number="县18-0001")
    unnumbered = RepresentativeFactory(name="王新", number="")
    return numbered, unnumbered


def picture(fmt="JPEG", color="red", size=(60, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def zip_of(tmp_path, entries, name="照片.zip") -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        for entry, content in entries.items():
            archive.writestr(entry, content)
    return path


def test_photos_named_by_number_or_name_and_region_import_once(
    people, tmp_path, client, django_capture_on_commit_callbacks
):
    numbered, unnumbered = people
    path = zip_of(
        tmp_path,
        {
            "代表照片/县18-0001.jpg": picture(),
            f"代表照片/王新_{unnumbered.region_id}.PNG": picture("PNG", "blue"),
            "填写说明.txt": "说明",
            "__MACOSX/._县18-0001.jpg": b"junk",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        record = load("photos", path)
    assert (record.rows, record.created, record.updated) == (2, 2, 0)
    numbered.refresh_from_db()
    unnumbered.refresh_from_db()
    assert numbered.photo.name.startswith("representatives/")
    assert numbered.photo.name.endswith(".jpg") and unnumbered.photo.name.endswith(".png")
    assert numbered.photo.read() == picture()
    thumbs = list((tmp_path / "media" / "representatives" / "thumbs").iterdir())
    assert len(thumbs) == 4  # the page sizes, made after commit

    again = preview("photos", path)
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, 2, [])

    changed = zip_of(tmp_path, {"县18-0001.jpg": picture(color="green")}, "新照片.zip")
    record = load("photos", changed)
    assert (record.created, record.updated, record.unchanged) == (0, 1, 0)
    unnumbered.refresh_from_db()
    assert unnumbered.photo  # not in the zip: left as it was

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    response = client.get("/staff/imports/photos/export.zip")
    assert response["Content-Type"] == "application/zip"
    exported = tmp_path / "export.zip"
    exported.write_bytes(b"".join(response.streaming_content))
    with zipfile.ZipFile(exported) as archive:
        assert sorted(archive.namelist()) == sorted(
            ["填写说明.txt", "县18-0001.jpg", f"王新_{unnumbered.region_id}.png"]
        )
    back = preview("photos", exported)
    assert (back.created, back.updated, back.unchanged, back.errors) == (0, 0, 2, [])

    template = client.get("/staff/imports/photos/template.zip")
    with zipfile.ZipFile(io.BytesIO(b"".join(template.streaming_content))) as archive:
        assert archive.namelist() == ["填写说明.txt"]
        assert "姓名_所属区划代码" in archive.read("填写说明.txt").decode()
    assert client.get("/staff/imports/photos/template.xlsx").status_code == 404
    assert client.get("/staff/imports/regions/template.zip").status_code == 404


def test_bad_photos_are_listed_by_file_and_nothing_is_written(people, tmp_path, settings):
    numbered, unnumbered = people
    settings.IMPORT_PHOTO_MAX_MB = 1
    noise = Image.frombytes("RGB", (1000, 1000), random.Random(18).randbytes(3_000_000))
    big = io.BytesIO()
    noise.save(big, "PNG")
    big_mb = round(len(big.getvalue()) / 1024 / 1024, 1)
    assert big_mb > 1
    path = zip_of(
        tmp_path,
        {
            "县18-0001.jpg": picture(),
            "县18-9999.jpg": picture(),
            "李红.gif": picture("GIF"),
            "假照片.jpg": b"not a picture",
            "王新_4301.jpg": picture(),
            f"王新_{unnumbered.region_id}.png": big.getvalue(),
            f"李红_{numbered.region_id}.jpg": picture(color="green"),
        },
    )
    record = preview("photos", path)
    assert record.status == Status.REFUSED
    assert sorted(errors_of(record)) == sorted(
        [
            (0, "县18-9999.jpg", "没有编号为 县18-9999 的代表。"),
            (0, "李红.gif", "只能导入 JPEG 或 PNG 照片（.jpg、.png）。"),
            (0, "假照片.jpg", "此文件不是可以读取的 JPEG 或 PNG 图片。"),
            (0, "王新_4301.jpg", "请以“姓名_区划代码”（12 位区划代码）或代表编号命名照片。"),
            (0, f"王新_{unnumbered.region_id}.png", f"照片大小为 {big_mb} MB，最多 1 MB。"),
            (0, f"李红_{numbered.region_id}.jpg", "县18-0001.jpg 与此照片是同一名代表的照片。"),
        ]
    )
    assert not Representative.objects.exclude(photo="").exists()
    assert not (tmp_path / "media" / "representatives").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("照片.rar", b"Rar!", "请把照片打成一个 .zip 文件上传。"),
        ("照片.zip", b"", "文件是空的。"),
        ("照片.zip", b"PK\x03\x04 broken", "此文件不是 zip 文件"),
    ],
)
def test_a_file_that_is_no_zip_of_photos_is_refused(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    record = preview("photos", path)
    assert record.status == Status.REFUSED
    assert any(message in error[2] for error in record.errors), record.errors


class GbkName(zipfile.ZipInfo):
    """An entry named as Chinese Windows' zip tools name it: GBK bytes, no UTF-8 flag."""

    def _encodeFilenameFlags(self):
        return self.filename.encode("gbk"), self.flag_bits


def test_an_empty_zip_and_gbk_names_from_chinese_windows(people, tmp_path):
    record = preview("photos", zip_of(tmp_path, {"填写说明.txt": "说明"}))
    assert errors_of(record) == [(0, "", "zip 文件中没有照片。")]
    # Chinese Windows writes names in GBK without zip's UTF-8 flag.
    path = tmp_path / "gbk.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(GbkName("县18-0001.jpg"), picture())
    with zipfile.ZipFile(path) as archive:
        assert not archive.infolist()[0].flag_bits & 0x800
    record = load("photos", path)
    assert record.created == 1


def test_the_page_takes_a_zip_of_photos(
    people, tmp_path, client, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    page = client.get("/staff/imports/").content.decode()
    assert "/staff/imports/photos/export.zip" in page
    upload = SimpleUploadedFile(
        "照片.zip", zip_of(tmp_path, {"县18-0001.jpg": picture()}).read_bytes()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/imports/", {"kind": "photos", "file": upload})
    record = ImportRecord.objects.get()
    assert response.url == f"/staff/imports/{record.pk}/"
    assert (record.status, record.created) == (Status.PREVIEWED, 1)


def test_the_page_lists_bad_photos_by_file(
    people, tmp_path, client, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    content = zip_of(tmp_path, {"县18-9999.jpg": picture()}).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/staff/imports/", {"kind": "photos", "file": SimpleUploadedFile("照片.zip", content)}
        )
    page = client.get(response.url).content.decode()
    assert "<th>文件</th>" in page
    assert "<td>县18-9999.jpg</td><td>没有编号为 县18-9999 的代表。</td>" in page
    assert "确认导入" not in page
