"""Upload → preview → apply. An upload stores the file with its record and writes nothing
else; the preview reads and checks it; applying checks the file again against the database
as it is then and writes all of it in one transaction, or nothing (and says why).

On the staff page the preview and the apply run as Celery tasks (``tasks.py``), in this
process when there is no broker, and report their progress through the cache for the
page's progress bar; the command and the tests run them here (``import_preview``).

A task can die without a word (a worker killed, a message lost): a check or an apply with
no progress for ``IMPORT_STALL_MINUTES`` is marked stopped (``import_fail_stalled``, when
its page or the list is read, and by a sweep) and can be run again (``import_retry``). An
apply holds its record's row lock while it runs, and a dead one's lock is gone with its
connection: a locked record is never taken for stopped."""

import datetime as dt
import hashlib
import logging
from pathlib import PurePath

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.base.audit import AuditAction, audit
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


RUNNING = (Status.CHECKING, Status.APPLYING)


def _progress_key(record: ImportRecord) -> str:
    # One key a run: a run again starts from nothing, whatever an earlier run left.
    started = record.started_at.timestamp() if record.started_at else 0
    return f"import-progress:{record.pk}:{started:.0f}"


def _progress(record: ImportRecord) -> tuple[int, int | None, float | None]:
    value = cache.get(_progress_key(record))
    if not isinstance(value, tuple | list) or len(value) != 3:
        return 0, None, None
    return value


def _report(record: ImportRecord, done: int, total: int | None) -> None:
    cache.set(_progress_key(record), (done, total, timezone.now().timestamp()), 3600)


def progress_of(record: ImportRecord) -> tuple[int, int | None]:
    """(rows read, rows in the file or None) of a check or apply under way."""
    done, total, _at = _progress(record)
    return done, total


def last_progress(record: ImportRecord) -> dt.datetime:
    """When the check or apply under way last showed it was alive."""
    started = record.started_at or record.created_at
    _done, _total, at = _progress(record)
    if at is None:
        return started
    return max(started, dt.datetime.fromtimestamp(at, tz=dt.UTC))


def stall_limit() -> dt.timedelta:
    return dt.timedelta(minutes=settings.IMPORT_STALL_MINUTES)


def import_fail_stalled(records=None) -> int:
    """Marks stopped the checks and applies (of ``records``, or all) without progress for
    ``IMPORT_STALL_MINUTES``; returns how many. Nothing of their files was written: an
    apply writes in one transaction, which a dead task's connection rolled back."""
    if records is None:
        records = ImportRecord.objects.filter(status__in=RUNNING)
    cutoff = timezone.now() - stall_limit()
    stalled = [
        record.pk
        for record in records
        if record.status in RUNNING and last_progress(record) < cutoff
    ]
    failed = 0
    for pk in stalled:
        with transaction.atomic():
            # A live apply holds the row: skipped, it is not stopped.
            record = (
                ImportRecord.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status__in=RUNNING)
                .first()
            )
            if record is None or last_progress(record) >= cutoff:
                continue
            with translation.override(record.options.get("language")):
                message = (
                    _(
                        "The check stopped without finishing: no progress for %(minutes)s "
                        "minutes. Nothing was written. Run it again."
                    )
                    if record.status == Status.CHECKING
                    else _(
                        "The import stopped without finishing: no progress for %(minutes)s "
                        "minutes. Nothing was written. Run it again."
                    )
                ) % {"minutes": settings.IMPORT_STALL_MINUTES}
            logger.warning("import %s stopped while %s", record.pk, record.status)
            record.status = Status.FAILED
            record.errors = [[0, "", message]]
            record.save(update_fields=["status", "errors"])
            failed += 1
    return failed


@transaction.atomic
def import_retry(*, record_id: int, actor) -> ImportRecord:
    """A stopped import checked again from its stored file (then previewed and confirmed
    as any other)."""
    record = ImportRecord.objects.select_for_update().get(pk=record_id)
    if record.status != Status.FAILED:
        raise ImportRefused(_("Only an import that stopped can be run again."))
    record.status = Status.CHECKING
    record.started_at = timezone.now()
    record.actor = actor
    record.rows = record.created = record.updated = record.unchanged = 0
    record.errors = []
    record.options = {
        **record.options,
        "notes": [],
        "language": translation.get_language() or record.options.get("language"),
    }
    record.save()
    import_start_check(record)
    return record


def _check(record: ImportRecord, file) -> tuple:
    importer = importer_for(record.kind, record.options)
    total = importer.size_hint(file, record.filename)
    _report(record, 0, total)
    try:
        plan = importer.check_stored(
            file, record.filename, progress=lambda rows: _report(record, rows, total)
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
        ROSTERS[kind].check_upload(name=name, size=size)
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
    # Copied in chunks: a zip of photos is tens of MB.
    record.file.save(name, File(file, name=name), save=False)
    record.status = Status.CHECKING
    record.started_at = timezone.now()
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
    with transaction.atomic():
        # Taken for stopped (and perhaps run again) while this check was slow: the
        # record's state is no longer this run's to set.
        current = ImportRecord.objects.select_for_update().get(pk=record_id)
        if (current.status, current.started_at) != (Status.CHECKING, record.started_at):
            return current
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
    record.started_at = timezone.now()
    record.save(update_fields=["status", "actor", "started_at"])
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
                    for object_type, object_id, detail in importer.audit_trail():
                        audit(
                            action=AuditAction.ROLE_CHANGE,
                            user=actor,
                            object_type=object_type,
                            object_id=object_id,
                            detail=detail,
                        )
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
