"""``manage.py backup``: the database and the uploaded files into BACKUP_DIR."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from liaison.base.backups import BackupError, backup_make


class Command(BaseCommand):
    help = "Back up the database (pg_dump, custom format) and the media folder into BACKUP_DIR."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="folder (default: BACKUP_DIR)")
        parser.add_argument(
            "--keep", type=int, help="days to keep (default: BACKUP_KEEP; 0 keeps all)"
        )
        parser.add_argument("--no-media", action="store_true", help="the database only")

    def handle(self, *args, **options):
        try:
            backup = backup_make(
                folder=options["dir"], keep_days=options["keep"], media=not options["no_media"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        for path in (backup.database, backup.media):
            if path:
                self.stdout.write(f"{path} {path.stat().st_size} bytes")
        for path in backup.removed:
            self.stdout.write(f"removed {path}")
