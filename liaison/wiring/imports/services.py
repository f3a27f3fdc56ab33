"""Upload → preview → apply. A preview stores the file with its record and writes
nothing else; applying checks the file again against the database as it is then and
writes all of it in one transaction, or nothing (and says why)."""

import datetime as dt
import hashlib
import logging
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.base.models import ImportRecord
from liaison.wiring.imports import reading
from liaison.wiring.imports.engine import Plan
from liaison.wiring.imports.rosters import ROSTERS

logger = logging.getLogger(__name__)


class ImportRefused(Exception):
    pass


def importer_for(kind: str, options: dict):
    close = options.get("close_term_on")
    extra = (
        {"close_term_on": dt.date.fromisoformat(close)}
        if kind == "representatives" and close
        else {}
    )
    return ROSTERS[kind](**extra)


def _check(kind: str, options: dict, file, name: str):
    importer = importer_for(kind, options)
    try:
        plan = importer.check(reading.rows_of(file, name))
    except reading.FileRefused as refused:
        plan = Plan()
        plan.error(0, "", str(refused))
    return importer, plan


def _store(record: ImportRecord, plan: Plan) -> None:
    record.rows, record.created, record.updated, record.unchanged = (
        plan.rows,
        plan.created,
        plan.updated,
        plan.unchanged,
    )
    record.errors = [list(error) for error in plan.errors]
    if plan.more_errors:
        record.errors.append(
            [0, "", _("… and %(count)s more errors.") % {"count": plan.more_errors}]
        )
    record.options = {**record.options, "notes": plan.notes}


def import_preview(
    *, kind: str, file, name: str, size: int, actor, options: dict | None = None
) -> ImportRecord:
    """Checks an uploaded file and records it; changes nothing else."""
    if kind not in ROSTERS:
        raise ValueError(kind)
    options = {key: value for key, value in (options or {}).items() if value}
    name = PurePath(name).name[:200]
    record = ImportRecord(kind=kind, filename=name, actor=actor, options=options, sha256="")
    try:
        reading.check_file(name=name, size=size)
    except reading.FileRefused as refused:
        record.status = ImportRecord.Status.REFUSED
        record.errors = [[0, "", str(refused)]]
        record.save()
        return record
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    record.sha256 = digest.hexdigest()
    file.seek(0)
    _importer, plan = _check(kind, options, file, name)
    _store(record, plan)
    record.status = ImportRecord.Status.PREVIEWED if plan.ok else ImportRecord.Status.REFUSED
    file.seek(0)
    record.file.save(name, ContentFile(file.read()), save=False)
    record.save()
    return record


def import_apply(*, record_id: int, actor) -> ImportRecord:
    """Applies a previewed file all or nothing; a file that no longer passes is refused."""
    with transaction.atomic():
        record = ImportRecord.objects.select_for_update().get(pk=record_id)
        if record.status != ImportRecord.Status.PREVIEWED:
            raise ImportRefused(_("This file was already applied or refused; upload it again."))
        with record.file.open("rb") as file:
            importer, plan = _check(record.kind, record.options, file, record.filename)
        _store(record, plan)
        record.actor = actor
        record.applied_at = timezone.now()
        if plan.ok:
            try:
                with transaction.atomic():
                    importer.write()
            except IntegrityError:
                # Another change won the race between the check and the write (the
                # database's constraints hold the same rules): nothing of the file stays.
                logger.warning("import %s refused by the database", record.pk, exc_info=True)
                record.errors = [
                    [
                        0,
                        "",
                        _(
                            "The database changed while applying: nothing was written. Preview the file again."
                        ),
                    ]
                ]
                record.status = ImportRecord.Status.REFUSED
            else:
                record.status = ImportRecord.Status.APPLIED
        else:
            record.status = ImportRecord.Status.REFUSED
        record.save()
    logger.info(
        "import %s %s: %s (%s created, %s updated, %s unchanged)",
        record.pk,
        record.kind,
        record.status,
        record.created,
        record.updated,
        record.unchanged,
    )
    return record
