"""The public side of the duty record: the profile's duty counts and published reports to
the voters, and "my grid's representative". Counts only: never a constituent's name,
phone or address (fixed contacts are counted, never listed)."""

import datetime as dt

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from duty import drafting
from duty.models import DutyReport, ReportStatus
from duty.record import public_figures
from liaison.base.public_cache import FIGURES, public_page
from representatives.models import GridCell, Representative
from stations.public import profile_context
from stations.selectors import public_representatives

GRID_RESULTS = 30


@public_page("region", "station", "representative", "reception", FIGURES)
def representative_detail(request, pk: int):
    representative = get_object_or_404(public_representatives(), pk=pk)
    year = timezone.localdate().year
    figures = public_figures(representative.pk, dt.date(year, 1, 1), dt.date(year, 12, 31))
    return render(
        request,
        "public/representative_detail.html",
        {
            **profile_context(representative),
            "duty_year": year,
            "duty_figures": drafting.figure_rows(figures),
            "reports": DutyReport.objects.filter(
                representative=representative, status=ReportStatus.PUBLISHED
            )
            .only("year", "title", "published_at", "representative_id")
            .order_by("-year"),
        },
    )


def report_detail(request, pk: int, year: int):
    report = get_object_or_404(
        DutyReport.objects.filter(
            representative__in=public_representatives(), status=ReportStatus.PUBLISHED
        ).select_related("representative"),
        representative_id=pk,
        year=year,
    )
    return render(
        request,
        "public/duty_report.html",
        {"report": report, "figures": drafting.figure_rows(report.figures)},
    )


def grid_lookup(request):
    """My grid's representative: a compound, enterprise or villager group by name or
    address, with the published representatives assigned to it."""
    q = request.GET.get("q", "").strip()[:50]
    cells = []
    if len(q) >= 2:
        cells = (
            GridCell.objects.filter(Q(name__contains=q) | Q(address__contains=q))
            .select_related("region")
            .prefetch_related(
                Prefetch(
                    "representatives",
                    queryset=Representative.objects.published().order_by("level", "name"),
                )
            )
            .order_by("region_id", "name")[:GRID_RESULTS]
        )
    return render(request, "public/grid_lookup.html", {"q": q, "cells": cells})
