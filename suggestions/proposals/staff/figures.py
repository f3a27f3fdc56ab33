"""Figures on the suggestions in scope, the Excel ledger, and the year's excellent choice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.base.flow import FlowError
from liaison.base.models import Region
from liaison.base.scopes import scope_of
from suggestions.proposals import ledger as ledger_module
from suggestions.proposals import reports as report_module
from suggestions.proposals import selectors, services
from suggestions.proposals.filters import SuggestionFilter

EXCELLENT_CANDIDATES = 500


def _filtered(request):
    filterset = SuggestionFilter(
        request.GET or None, queryset=selectors.suggestion_list(user=request.user), request=request
    )
    if filterset.is_bound and filterset.is_valid():
        return filterset, filterset.qs
    return filterset, filterset.queryset


def _staff_or_404(user):
    if not scope_of(user).roles:
        raise Http404


@login_required
def reports(request):
    """By unit: count, on-time reply rate, satisfaction rate, re-handled; by year and category."""
    _staff_or_404(request.user)
    filterset, queryset = _filtered(request)
    return render(
        request,
        "staff/proposals/reports.html",
        {
            "filter": filterset,
            "totals": report_module.totals(queryset),
            "units": report_module.by_unit(queryset),
            "years": report_module.by_year_and_category(queryset),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def ledger(request):
    """办理台账: the filtered suggestions in scope, as an Excel workbook."""
    _staff_or_404(request.user)
    _filterset, queryset = _filtered(request)
    response = HttpResponse(
        ledger_module.ledger_workbook(queryset),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"suggestion-ledger-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _congresses(user):
    """The congresses whose excellent suggestions this user chooses: their committees'."""
    scope = scope_of(user)
    if scope.is_admin:
        return Region.objects.filter(
            code__in=selectors.suggestion_list(user=user).values("region_id")
        ).order_by("code")
    if not scope.is_committee:
        raise Http404
    return Region.objects.filter(committee_staff__user=user).order_by("code")


@login_required
def excellent(request):
    """优秀建议: the committee picks at most ten published suggestions of the year."""
    congresses = list(_congresses(request.user))
    codes = {region.code: region for region in congresses}
    code = request.GET.get("region") or (congresses[0].code if congresses else "")
    if code and code not in codes:
        raise Http404
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    if request.method == "POST" and code:
        chosen = [int(pk) for pk in request.POST.getlist("suggestions") if pk.isdigit()]
        try:
            services.suggestions_select_excellent(
                actor=request.user, region_code=code, year=year, suggestion_ids=chosen
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except FlowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(n)s excellent suggestions chosen.") % {"n": len(chosen)})
        return redirect(f"{request.path}?region={code}&year={year}")
    candidates = (
        selectors.excellent_candidates(region_code=code, year=year, limit=EXCELLENT_CANDIDATES)
        if code
        else []
    )
    return render(
        request,
        "staff/proposals/excellent.html",
        {
            "congresses": congresses,
            "region": codes.get(code),
            "year": year,
            "candidates": list(candidates),
            "limit": services.EXCELLENT_PER_YEAR,
        },
    )
