"""The dashboards at /staff/figures/: the place's figures for a period, the trend, the
breakdowns, the open cases overdue and under supervision, and the downloads; and a
representative's own dashboard (``representatives.py``)."""

from urllib.parse import quote, urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from figures import assessment, bulletin, representatives, selectors
from figures.definitions import BY_KEY
from figures.models import LedgerKind
from figures.periods import period_from
from figures.scopes import place_for
from liaison.base.scopes import scope_of

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _breakdowns(place, period, form) -> list[dict]:
    wanted = []
    if place.child_level:
        wanted.append(("region", _("By township or lower region")))
    if place.region is not None and place.station is None:
        wanted.append(("station", _("By station")))
    if place.unit is None:
        wanted.append(("unit", _("By lead unit")))
    if place.category is None:
        wanted.append(("category", _("By category")))
    result = []
    for by, title in wanted:
        rows = selectors.breakdown(place, period, by)
        for row in rows:
            if row["params"]:
                row["url"] = f"{reverse('staff:figures')}?{query_of(row['params'], form)}"
        result.append({"by": by, "title": title, "rows": rows})
    return result


def query_of(params: dict, form) -> str:
    """The query string of a place and the chosen period (links keep both)."""
    params = dict(params)
    if form.is_bound and form.is_valid():
        params.update({k: v for k, v in form.cleaned_data.items() if v not in (None, "")})
    return urlencode(params)


@login_required
def dashboard(request):
    place = place_for(request.user, request.GET)
    form, period = period_from(request.GET)
    values = selectors.totals(place, period)
    here = urlencode({**place.params(), **period.query()})
    return render(
        request,
        "staff/figures/dashboard.html",
        {
            "place": place,
            "period": period,
            "form": form,
            "cards": selectors.cards(place, period, values),
            "values": values,
            "labels": {key: figure.label for key, figure in BY_KEY.items()},
            "trend": selectors.trend(place, period),
            "breakdowns": _breakdowns(place, period, form),
            "overdue": selectors.open_list(place, "overdue"),
            "escalated": selectors.open_list(place, "escalated"),
            "overdue_url": selectors.drill_url("overdue", place, period),
            "escalated_url": selectors.drill_url("escalated", place, period),
            "suggestions": assessment.suggestion_totals(place, period),
            "query": here,
            "ledgers": [
                (kind, label)
                for kind, label in LedgerKind.choices
                if not (kind == LedgerKind.VISITS and place.unit)
            ],
        },
    )


def _bulletin(request):
    place = place_for(request.user, request.GET)
    _form, period = period_from(request.GET)
    return place, period, bulletin.content(request.user, place, period, request.GET.getlist("case"))


@login_required
def bulletin_page(request):
    """The printable bulletin, with the sample cases to pick and the Word download."""
    place, period, data = _bulletin(request)
    picks = {case.pk for case in data["samples"]}
    return render(
        request,
        "staff/figures/bulletin.html",
        {
            **data,
            "candidates": bulletin.candidates(request.user, place, period),
            "picks": picks,
            "query": request.GET.urlencode(),
            "place_params": {**place.params(), **period.query()},
        },
    )


@login_required
def bulletin_docx(request):
    place, period, data = _bulletin(request)
    response = HttpResponse(bulletin.docx_bytes(data), content_type=DOCX)
    name = f"{place.name}-{period.label}-工作动态.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def representative_mine(request):
    """A representative's own figures (from their home page)."""
    representative_id = scope_of(request.user).representative_id
    if representative_id is None:
        raise Http404
    return _representative(request, representative_id)


@login_required
def representative_dashboard(request, pk: int):
    """A representative's figures, for a committee that sees them (else a 404)."""
    return _representative(request, pk)


def _representative(request, pk: int):
    representative = representatives.representative_for(request.user, pk)
    form, period = period_from(request.GET)
    user = request.user
    values = representatives.totals(user, representative, period)
    return render(
        request,
        "staff/figures/representative.html",
        {
            "representative": representative,
            "period": period,
            "form": form,
            "cards": representatives.cards(representative, period, values),
            "values": values,
            "labels": {key: figure.label for key, figure in BY_KEY.items()},
            "trend": representatives.trend(user, representative, period),
            "categories": representatives.by_category(user, representative, period),
            "overdue": representatives.open_list(user, representative, "overdue"),
            "escalated": representatives.open_list(user, representative, "escalated"),
            "overdue_url": representatives.drill_url("overdue", representative, period),
            "escalated_url": representatives.drill_url("escalated", representative, period),
            "suggestions": representatives.suggestions(user, representative, period),
            "record_url": reverse("staff:duty-record", args=[representative.pk]),
        },
    )
