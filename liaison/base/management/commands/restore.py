"""``manage.py restore DUMP [--media ARCHIVE]``: load a backup into an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from liaison.base.backups import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database, which "
        "must be empty (drop and create it first; docs/reliability.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("dump", type=Path)
        parser.add_argument("--media", type=Path, help="the media-<time>.tar.gz of the same backup")

    def handle(self, *args, dump: Path, media: Path | None, **options):
        try:
            backup_restore(dump=dump, media=media)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored {dump}" + (f" and {media}" if media else ""))
