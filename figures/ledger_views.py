"""The ledger downloads and the background exports' pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from figures import ledgers
from figures.exports import filename, rows_for
from figures.models import ExportStatus, LedgerExport, LedgerKind
from figures.tasks import write_ledger
from liaison.base.audit import AuditAction, audit
from liaison.base.tasks import publish_after_commit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def ledger(request, kind: str):
    if kind not in LedgerKind.values:
        raise Http404
    rows, place, period = rows_for(request.user, kind, request.GET)
    size = rows.order_by()[: settings.FIGURES_LEDGER_INLINE_ROWS + 1].count()
    if size > settings.FIGURES_LEDGER_INLINE_ROWS:
        export = LedgerExport.objects.create(
            user=request.user,
            kind=kind,
            params={key: request.GET.getlist(key) for key in request.GET},
            rows_total=rows.order_by().count(),
        )
        publish_after_commit(write_ledger, inline_if_down=True, export_id=export.pk)
        return redirect("staff:figures-export", pk=export.pk)
    out = ledgers.write(kind, rows)
    # An export is a security event, and the visits ledger holds constituents' names and
    # phones: who took which ledger, with how many rows, goes to the audit chain.
    audit(
        action=AuditAction.EXPORT,
        request=request,
        object_type=f"figures.ledger.{kind}",
        detail=f"{size} rows",
    )
    return FileResponse(
        out, as_attachment=True, filename=filename(kind, place, period), content_type=XLSX
    )


@login_required
def export_page(request, pk: int):
    export = get_object_or_404(LedgerExport, pk=pk, user=request.user)
    return render(
        request,
        "staff/figures/export.html",
        {
            "export": export,
            "working": export.status in (ExportStatus.PENDING, ExportStatus.RUNNING),
        },
    )


@login_required
def export_download(request, pk: int):
    export = get_object_or_404(LedgerExport, pk=pk, user=request.user, status=ExportStatus.DONE)
    audit(
        action=AuditAction.EXPORT,
        request=request,
        obj=export,
        detail=f"{export.kind}, {export.rows_total} rows",
    )
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type=XLSX,
    )
