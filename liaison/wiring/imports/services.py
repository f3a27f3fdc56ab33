"""Upload → preview → apply. An upload stores the file with its record and writes nothing
else; the preview reads and checks it; applying checks the file again against the database
as it is then and writes all of it in one transaction, or nothing (and says why).

On the staff page the preview and the apply run as Celery tasks (``tasks.py``), in this
process when there is no broker, and report their progress through the cache for the
page's progress bar; the command and the tests run them here (``import_preview``)."""

import hashlib
import logging
from pathlib import PurePath

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.base.models import ImportRecord
from liaison.base.tasks import publish_after_commit
from liaison.wiring.imports import reading
from liaison.wiring.imports.engine import Plan
from liaison.wiring.imports.rosters import ROSTERS

logger = logging.getLogger(__name__)
Status = ImportRecord.Status


class ImportRefused(Exception):
    pass


def importer_for(kind: str, options: dict):
    import datetime as dt

    close = options.get("close_term_on")
    extra = (
        {"close_term_on": dt.date.fromisoformat(close)}
        if kind == "representatives" and close
        else {}
    )
    return ROSTERS[kind](**extra)


def progress_of(record: ImportRecord) -> tuple[int, int | None]:
    """(rows read, rows in the file or None) of a check or apply under way."""
    done, total = cache.get(f"import-progress:{record.pk}") or (0, None)
    return done, total


def _check(record: ImportRecord, file) -> tuple:
    importer = importer_for(record.kind, record.options)
    key = f"import-progress:{record.pk}"
    total = reading.row_count_hint(file, record.filename)
    cache.set(key, (0, total), 3600)
    try:
        plan = importer.check(
            reading.rows_of(file, record.filename),
            progress=lambda rows: cache.set(key, (rows, total), 3600),
        )
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


def import_upload(
    *, kind: str, file, name: str, size: int, actor, options: dict | None = None
) -> ImportRecord:
    """Records an uploaded file, to be checked (status CHECKING), or refused unread."""
    if kind not in ROSTERS:
        raise ValueError(kind)
    options = {key: value for key, value in (options or {}).items() if value}
    # The check may run in a worker: its messages in the uploader's language.
    options["language"] = translation.get_language() or "zh-hans"
    name = PurePath(name).name[:200]
    record = ImportRecord(kind=kind, filename=name, actor=actor, options=options, sha256="")
    try:
        reading.check_file(name=name, size=size)
    except reading.FileRefused as refused:
        record.status = Status.REFUSED
        record.errors = [[0, "", str(refused)]]
        record.save()
        return record
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    record.sha256 = digest.hexdigest()
    file.seek(0)
    record.file.save(name, ContentFile(file.read()), save=False)
    record.status = Status.CHECKING
    record.save()
    return record


def import_check(*, record_id: int) -> ImportRecord:
    """The preview: reads and checks the stored file; writes only the record."""
    record = ImportRecord.objects.get(pk=record_id)
    if record.status != Status.CHECKING:
        return record
    with translation.override(record.options.get("language")), record.file.open("rb") as file:
        _importer, plan = _check(record, file)
        _store(record, plan)
    record.status = Status.PREVIEWED if plan.ok else Status.REFUSED
    record.save()
    return record


def import_preview(**upload) -> ImportRecord:
    """Upload and check here and now (the command, the tests)."""
    record = import_upload(**upload)
    return import_check(record_id=record.pk) if record.status == Status.CHECKING else record


def import_start_check(record: ImportRecord) -> None:
    """The staff page's preview: a task, or here when there is no broker."""
    from liaison.wiring.imports.tasks import import_check_task

    if record.status == Status.CHECKING:
        publish_after_commit(import_check_task, inline_if_down=True, record_id=record.pk)


@transaction.atomic
def import_confirm(*, record_id: int, actor) -> ImportRecord:
    """The staff page's confirm: the apply runs as a task (or here without a broker)."""
    from liaison.wiring.imports.tasks import import_apply_task

    record = ImportRecord.objects.select_for_update().get(pk=record_id)
    if record.status != Status.PREVIEWED:
        raise ImportRefused(_("This file was already applied or refused; upload it again."))
    record.status = Status.APPLYING
    record.actor = actor
    record.save(update_fields=["status", "actor"])
    publish_after_commit(
        import_apply_task,
        inline_if_down=True,
        record_id=record.pk,
        actor_id=actor.pk if actor else None,
    )
    return record


def import_apply(*, record_id: int, actor) -> ImportRecord:
    """Applies a previewed (or confirmed) file all or nothing; a file that no longer passes
    is refused."""
    with transaction.atomic():
        record = ImportRecord.objects.select_for_update().get(pk=record_id)
        if record.status not in {Status.PREVIEWED, Status.APPLYING}:
            raise ImportRefused(_("This file was already applied or refused; upload it again."))
        with (
            translation.override(record.options.get("language")),
            record.file.open("rb") as file,
        ):
            importer, plan = _check(record, file)
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
                                "The database changed while applying: nothing was written. "
                                "Preview the file again."
                            ),
                        ]
                    ]
                    record.status = Status.REFUSED
                else:
                    record.status = Status.APPLIED
            else:
                record.status = Status.REFUSED
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
