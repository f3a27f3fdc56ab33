"""/staff/duty/reports/: the yearly report to the voters — drafted from the record in one
click, edited, downloaded as Word or printed, published on the public profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duty import drafting
from duty.flow import REPORTS
from duty.scopes import reports_visible_to
from duty.services import reports as services
from duty.staff.forms import ReportForm
from liaison.base.flow import FlowError
from liaison.base.staff_moves import apply_errors

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_POST
def report_draft(request):
    """One click: the year's report drafted from the record (or the one already there)."""
    year = request.POST.get("year", "")
    try:
        report = services.duty_report_draft(
            actor=request.user, year=int(year) if year.isdigit() else 0
        )
    except FlowError as error:
        messages.error(request, error.message)
        return redirect("staff:duty-mine")
    return redirect("staff:duty-report", pk=report.pk)


def _report(request, pk):
    return get_object_or_404(
        reports_visible_to(request.user).select_related("representative"), pk=pk
    )


@login_required
def report_detail(request, pk: int):
    report = _report(request, pk)
    allowed = {t.name for t in REPORTS.available(request.user, report)}
    form = ReportForm(request.POST or None, initial={"title": report.title, "text": report.text})
    if request.method == "POST":
        if "edit" not in allowed:
            raise Http404
        if form.is_valid():
            try:
                services.duty_report_update(
                    report_id=report.pk, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            except FlowError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Report saved."))
                return redirect("staff:duty-report", pk=report.pk)
    return render(
        request,
        "staff/duty/report.html",
        {
            "report": report,
            "form": form if "edit" in allowed else None,
            "allowed": allowed,
            "figures": drafting.figure_rows(report.figures),
            "timeline": REPORTS.timeline(report.events.all()),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


ACTIONS = {
    "publish": services.duty_report_publish,
    "unpublish": services.duty_report_unpublish,
    "redraft": services.duty_report_redraft,
}


@login_required
@require_POST
def report_action(request, pk: int, action: str):
    report = _report(request, pk)
    if action not in ACTIONS:
        raise Http404
    try:
        ACTIONS[action](report_id=report.pk, actor=request.user)
    except FlowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done."))
    return redirect("staff:duty-report", pk=report.pk)


@login_required
def report_docx(request, pk: int):
    report = _report(request, pk)
    response = HttpResponse(drafting.report_docx(report), content_type=DOCX)
    response["Content-Disposition"] = (
        f'attachment; filename="report-{report.year}-{report.representative_id}.docx"'
    )
    return response


@login_required
def report_print(request, pk: int):
    report = _report(request, pk)
    return render(
        request,
        "staff/duty/report_print.html",
        {"report": report, "figures": drafting.figure_rows(report.figures)},
    )
