"""manage.py import_roster KIND FILE [--apply]: the staff page's import from a shell.

Without --apply it only checks the file and prints every bad row; with it the file is
applied all or nothing. Either way the import is recorded (who: --user, or nobody)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from liaison.base.models import ImportRecord
from liaison.wiring.imports import services
from liaison.wiring.imports.rosters import ROSTERS


class Command(BaseCommand):
    help = "Check (and with --apply import) a roster: " + ", ".join(ROSTERS)

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(ROSTERS))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--apply", action="store_true", help="write the file if it has no errors"
        )
        parser.add_argument("--user", help="the username recorded as importing it")
        parser.add_argument(
            "--close-term-on",
            help="representatives: end the earlier terms' open seats on this date",
        )

    def handle(self, *args, kind, file, apply, user, close_term_on, **options):
        if not file.is_file():
            raise CommandError(f"No file {file}")
        actor = get_user_model().objects.filter(username=user).first() if user else None
        if user and actor is None:
            raise CommandError(f"No user {user}")
        with translation.override("zh-hans"), file.open("rb") as handle:
            record = services.import_preview(
                kind=kind,
                file=handle,
                name=file.name,
                size=file.stat().st_size,
                actor=actor,
                options={"close_term_on": close_term_on or ""},
            )
            if apply and record.status == ImportRecord.Status.PREVIEWED:
                record = services.import_apply(record_id=record.pk, actor=actor)
        for row, column, message in record.errors:
            self.stdout.write(
                f"第 {row} 行\t{column}\t{message}" if row else f"{column}\t{message}"
            )
        self.stdout.write(
            f"{record.get_status_display()}: {record.rows} rows, {record.created} new, "
            f"{record.updated} changed, {record.unchanged} unchanged, {len(record.errors)} errors "
            f"(import {record.pk})"
        )
        if record.status == ImportRecord.Status.REFUSED:
            raise CommandError("The file was refused; nothing was imported.")
