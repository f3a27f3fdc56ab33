"""The backup's file archive: the uploaded photos and, kept on disk, the private files
(attachments, ledgers), each restored into its own folder."""

from pathlib import Path

from liaison.base import backups


def _storages(settings, private: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": private},
        },
    }


def test_photos_and_private_files_go_into_the_archive_and_come_back(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "site" / "media"
    _storages(settings, tmp_path / "site" / "private-media")
    (settings.MEDIA_ROOT / "representatives").mkdir(parents=True)
    (settings.MEDIA_ROOT / "representatives" / "a.jpg").write_bytes(b"photo")
    (tmp_path / "site" / "private-media" / "attachments").mkdir(parents=True)
    (tmp_path / "site" / "private-media" / "attachments" / "函.pdf").write_bytes(b"letter")

    archive = backups._media(tmp_path, "20261130T000000Z")
    assert archive.name == "media-20261130T000000Z.tar.gz"

    settings.MEDIA_ROOT = tmp_path / "new" / "media"
    _storages(settings, tmp_path / "new" / "private")
    backups._unpack(archive)
    assert (settings.MEDIA_ROOT / "representatives" / "a.jpg").read_bytes() == b"photo"
    assert (tmp_path / "new" / "private" / "attachments" / "函.pdf").read_bytes() == b"letter"


def test_a_bucket_is_left_to_its_own_mirror(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {}},
    }
    assert set(backups._file_roots()) == {"media"}
