"""/staff/imports/: the administrator's upload → preview → apply, the templates and the
exports. Administrators only: an import writes every region's rows."""

import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from liaison.base.models import ImportRecord
from liaison.base.scopes import scope_of
from liaison.wiring import golive
from liaison.wiring.imports import photos, services, workbooks
from liaison.wiring.imports.rosters import ROSTERS

FORMATS = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", workbooks.xlsx),
    "csv": ("text/csv; charset=utf-8", workbooks.csv_bytes),
}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Roster"), choices=[])
    file = forms.FileField(label=_("File (.xlsx or .csv; photos: one .zip)"))
    close_term_on = forms.DateField(
        label=_("Close the earlier terms' seats on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Representatives only: for a new term's roster."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, importer.title) for kind, importer in ROSTERS.items()]


def admin_only(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not scope_of(request.user).is_admin:
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@admin_only
def import_home(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        close = form.cleaned_data["close_term_on"]
        record = services.import_upload(
            kind=form.cleaned_data["kind"],
            file=upload,
            name=upload.name,
            size=upload.size,
            actor=request.user,
            options={"close_term_on": close.isoformat() if close else ""},
        )
        services.import_start_check(record)
        return redirect("staff:import", pk=record.pk)
    records = list(ImportRecord.objects.select_related("actor")[:20])
    if services.import_fail_stalled(records):
        records = list(ImportRecord.objects.select_related("actor")[:20])
    for record in records:
        record.title = ROSTERS[record.kind].title if record.kind in ROSTERS else record.kind
    rosters = [(kind, importer.title, importer.archive) for kind, importer in ROSTERS.items()]
    return render(
        request, "staff/imports/home.html", {"form": form, "records": records, "rosters": rosters}
    )


@admin_only
def import_detail(request, pk: int):
    record = get_object_or_404(ImportRecord.objects.select_related("actor"), pk=pk)
    if services.import_fail_stalled([record]):
        record.refresh_from_db()
    running = record.status in services.RUNNING
    done, total = services.progress_of(record) if running else (0, None)
    return render(
        request,
        "staff/imports/detail.html",
        {
            "record": record,
            "title": ROSTERS[record.kind].title,
            "archive": ROSTERS[record.kind].archive,
            "running": running,
            "done": done,
            "total": total,
        },
    )


@require_POST
@admin_only
def import_apply(request, pk: int):
    get_object_or_404(ImportRecord, pk=pk)
    try:
        services.import_confirm(record_id=pk, actor=request.user)
    except services.ImportRefused as refused:
        messages.error(request, str(refused))
    return redirect("staff:import", pk=pk)


@require_POST
@admin_only
def import_retry(request, pk: int):
    """A stopped import checked again from its stored file."""
    get_object_or_404(ImportRecord, pk=pk)
    try:
        services.import_retry(record_id=pk, actor=request.user)
    except services.ImportRefused as refused:
        messages.error(request, str(refused))
    return redirect("staff:import", pk=pk)


@admin_only
def roster_file(request, kind: str, what: str, fmt: str):
    """The empty template, or the database's rows in it (an export)."""
    if kind not in ROSTERS or what not in {"template", "export"}:
        raise Http404
    importer = ROSTERS[kind]()
    if importer.archive:
        if fmt != "zip":
            raise Http404
        # Tens of MB of photos: written to a temporary file, not to memory.
        out = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
        photos.photos_zip(importer, what == "export", out)
        out.seek(0)
        return FileResponse(
            out, as_attachment=True, filename=f"{kind}-{what}.zip", content_type="application/zip"
        )
    if fmt not in FORMATS:
        raise Http404
    content_type, write = FORMATS[fmt]
    rows = importer.export_rows() if what == "export" else []
    response = HttpResponse(write(importer, rows), content_type=content_type)
    filename = f"{kind}-{what}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@admin_only
def go_live(request):
    """The go-live checklist of the coming year (``?year=`` for another)."""
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else golive.coming_year()
    items = golive.checklist(year)
    return render(
        request,
        "staff/imports/go_live.html",
        {"items": items, "year": year, "done": sum(item.done for item in items)},
    )
