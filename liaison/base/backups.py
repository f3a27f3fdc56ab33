"""Backups of the database and the uploaded files, and their restore.

``backup_make`` writes ``liaison-<time>.dump`` (PostgreSQL: ``pg_dump`` custom format;
SQLite: a consistent copy through SQLite's backup API, ``.sqlite3``) and
``media-<time>.tar.gz`` (the uploaded photos under ``media/``, and the private files —
attachments, activities' files, ledgers — under ``private/`` when they are kept on disk;
a bucket is mirrored by its own tools) into ``BACKUP_DIR``, each under a temporary name first so that a
backup cut short never looks whole, and removes the backups older than ``BACKUP_KEEP``
days. ``backup_restore`` loads a dump into an empty database (``pg_restore`` in one
transaction, stopping at the first error) and unpacks the media archive.
docs/reliability.md has the schedule and the procedure, and a test runs it.
"""

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection


class BackupError(Exception):
    pass


@dataclass
class Backup:
    database: Path
    media: Path | None
    removed: list[Path]


def _pg_environment() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["--host", db.get("HOST") or "localhost", "--port", str(db.get("PORT") or 5432)]
    args += ["--username", db.get("USER") or "postgres"]
    environment = {**os.environ, "PGCONNECT_TIMEOUT": str(settings.DATABASE_CONNECT_TIMEOUT)}
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = db["PASSWORD"]
    return args, environment


def _run(command: list[str], environment: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)"
        )
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def backup_make(
    *, folder: Path | None = None, keep_days: int | None = None, media: bool = True
) -> Backup:
    folder = Path(folder or settings.BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    if connection.vendor == "postgresql":
        target = folder / f"liaison-{stamp}.dump"
        args, environment = _pg_environment()
        partial = target.with_suffix(".dump.partial")
        name = settings.DATABASES["default"]["NAME"]
        _run(
            ["pg_dump", *args, "--format=custom", "--no-owner", f"--file={partial}", name],
            environment,
        )
    elif connection.vendor == "sqlite":
        target = folder / f"liaison-{stamp}.sqlite3"
        partial = target.with_suffix(".sqlite3.partial")
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        copy = sqlite3.connect(partial)
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
    else:  # pragma: no cover - the product runs on PostgreSQL or SQLite
        raise BackupError(f"no backup for {connection.vendor}")
    partial.replace(target)
    archive = _media(folder, stamp) if media else None
    return Backup(
        target,
        archive,
        _prune(folder, keep_days if keep_days is not None else settings.BACKUP_KEEP),
    )


def _file_roots() -> dict[str, Path]:
    """The folders of uploaded files, by their name in the archive."""
    roots = {"media": Path(settings.MEDIA_ROOT)}
    private = settings.STORAGES["private"]
    if private["BACKEND"] == "django.core.files.storage.FileSystemStorage":
        roots["private"] = Path(private["OPTIONS"]["location"])
    return roots


def _media(folder: Path, stamp: str) -> Path | None:
    target = folder / f"media-{stamp}.tar.gz"
    partial = folder / f"media-{stamp}.tar.gz.partial"
    with tarfile.open(partial, "w:gz") as archive:
        for name, root in _file_roots().items():
            if root.exists():
                archive.add(root, arcname=name)
    partial.replace(target)
    return target


def _unpack(media: Path) -> None:
    """Each top folder of the archive back into its root (an archive from before the
    private files were kept has ``media/`` only)."""
    roots = _file_roots()
    with tarfile.open(media, "r:gz") as archive:
        members: dict[str, list] = {name: [] for name in roots}
        for member in archive.getmembers():
            top, _, rest = member.name.partition("/")
            if top in members and rest:
                member.name = rest
                members[top].append(member)
        for name, root in roots.items():
            root.mkdir(parents=True, exist_ok=True)
            archive.extractall(root, members=members[name], filter="data")


def _prune(folder: Path, keep_days: int) -> list[Path]:
    if keep_days <= 0:
        return []
    cutoff = time.time() - keep_days * 86400
    removed = []
    for path in folder.iterdir():
        if path.name.startswith(("liaison-", "media-")) and path.stat().st_mtime < cutoff:
            path.unlink()
            removed.append(path)
    return removed


def backup_restore(*, dump: Path, media: Path | None = None) -> None:
    """Load ``dump`` into the configured database, which must be empty (drop and create
    it first), and unpack ``media`` into MEDIA_ROOT."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
            if cursor.fetchone()[0]:
                raise BackupError("the database is not empty: drop and create it first")
        connection.close()
        args, environment = _pg_environment()
        name = settings.DATABASES["default"]["NAME"]
        command = ["pg_restore", *args, "--no-owner", "--exit-on-error", "--single-transaction"]
        _run([*command, f"--dbname={name}", str(dump)], environment)
    elif connection.vendor == "sqlite":
        connection.close()
        shutil.copyfile(dump, settings.DATABASES["default"]["NAME"])
    if media:
        _unpack(media)
