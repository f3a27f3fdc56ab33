"""Ledger downloads: small ones stream at once; a large one becomes a ``LedgerExport``
written by a Celery task (in this process when no broker runs), whose page shows its
progress and then the link to the file."""

from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from figures import ledgers
from figures.models import ExportStatus, LedgerExport
from figures.periods import ledger_period
from figures.scopes import place_for


def rows_for(user, kind: str, params: QueryDict):
    """The ledger's rows for the place, period and filters in ``params`` (404 if out of
    scope), and the period."""
    place = place_for(user, params)
    period = ledger_period(params)
    return ledgers.rows_of(kind, user, place, period, params), place, period


def filename(kind: str, place, period) -> str:
    return f"{ledgers.LedgerKind(kind).label}-{place.name}-{period.label}.xlsx".replace("/", "-")


def export_write(export_id: int) -> None:
    with transaction.atomic():
        export = LedgerExport.objects.select_for_update().filter(pk=export_id).first()
        if export is None or export.status not in (ExportStatus.PENDING, ExportStatus.FAILED):
            return
        export.status = ExportStatus.RUNNING
        export.save(update_fields=["status"])
    params = QueryDict(mutable=True)
    for key, values in export.params.items():
        params.setlist(key, values)
    try:
        rows, place, period = rows_for(export.user, export.kind, params)

        def progress(done: int) -> None:
            LedgerExport.objects.filter(pk=export.pk).update(rows_done=done)

        with ledgers.write(export.kind, rows, progress=progress) as out:
            export.file.save(filename(export.kind, place, period), File(out), save=False)
    except Exception as error:
        LedgerExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        raise
    export.status, export.finished_at = ExportStatus.DONE, timezone.now()
    export.rows_done = export.rows_total
    export.save(update_fields=["file", "status", "finished_at", "rows_done"])
