"""The public directory: representatives and stations, only what is published."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from stations import selectors
from stations.filters import PublicRepresentativeFilter, PublicStationFilter

PAGE_SIZE = 30


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def home(request):
    return render(
        request,
        "public/home.html",
        {"reception_days": selectors.public_reception_days()[:12]},
    )


def representative_list(request):
    filterset = PublicRepresentativeFilter(request.GET, queryset=selectors.public_representatives())
    return render(
        request,
        "public/representative_list.html",
        {"filter": filterset, "page": _page(request, filterset.qs)},
    )


def representative_detail(request, pk: int):
    representative = get_object_or_404(selectors.public_representatives(), pk=pk)
    return render(
        request,
        "public/representative_detail.html",
        {
            "representative": representative,
            "duty_days": selectors.next_duty_days(representative),
        },
    )


def station_list(request):
    filterset = PublicStationFilter(request.GET, queryset=selectors.public_stations())
    return render(
        request,
        "public/station_list.html",
        {"filter": filterset, "page": _page(request, filterset.qs)},
    )


def station_detail(request, pk: int):
    station = get_object_or_404(selectors.public_stations(), pk=pk)
    return render(
        request,
        "public/station_detail.html",
        {
            "station": station,
            "representatives": selectors.station_representatives(station),
            "reception_days": selectors.public_reception_days().filter(station=station)[:12],
            "past_days": selectors.attach_figures(selectors.past_reception_days(station)[:6]),
        },
    )
