"""The public directory: representatives and stations, only what is published."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from liaison.base.public_cache import FIGURES, public_page
from stations import places, selectors
from stations.filters import PublicRepresentativeFilter, PublicStationFilter
from stations.models import Station
from stations.qrcodes import qr_svg

PAGE_SIZE = 30


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _station_region(data) -> str:
    """The region of a station chosen by id alone (a link): the picker shows its township."""
    station = str(data.get("station") or "").strip()
    if data.get("region") or data.get("county") or not station.isdigit():
        return ""
    codes = Station.objects.active().filter(pk=station).values_list("region", flat=True)
    return codes[0] if codes else ""


@public_page("region", "station", "representative")
def representative_list(request):
    filterset, pick = places.region_filter(
        PublicRepresentativeFilter,
        request.GET,
        selectors.public_representatives(),
        station_region=_station_region(request.GET),
        with_stations=True,
    )
    return render(
        request,
        "public/representative_list.html",
        {"filter": filterset, "pick": pick, "page": _page(request, filterset.qs)},
    )


def profile_context(representative) -> dict:
    """What stations/ shows on a representative's public profile (``/representatives/<id>/``,
    served by duty/public.py, which adds the duty record's counts and published reports)."""
    return {
        "representative": representative,
        "duty_days": selectors.next_duty_days(representative),
    }


@public_page("region", "station")
def station_list(request):
    filterset, pick = places.region_filter(
        PublicStationFilter, request.GET, selectors.public_stations()
    )
    return render(
        request,
        "public/station_list.html",
        {"filter": filterset, "pick": pick, "page": _page(request, filterset.qs)},
    )


@public_page("region", "station", "representative", "reception", FIGURES)
def station_detail(request, pk: int):
    station = get_object_or_404(selectors.public_stations(), pk=pk)
    return render(
        request,
        "public/station_detail.html",
        {
            "station": station,
            "representatives": selectors.station_representatives(station),
            "reception_days": selectors.public_reception_days().filter(station=station)[:12],
            "notice": selectors.next_public_notice(station),
            "past_days": selectors.attach_figures(selectors.past_reception_days(station)[:6]),
            "form_url": _form_url(station),
        },
    )


def _form_url(station) -> str:
    return f"{reverse('case-submit')}?{urlencode({'station': station.pk})}"


def station_qr(request, pk: int):
    """The QR code of the station's online form, with the station preselected."""
    station = get_object_or_404(selectors.public_stations(), pk=pk)
    svg = qr_svg(request.build_absolute_uri(_form_url(station)))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def station_poster(request, pk: int):
    """A printable A4 sheet for the notice board: the station, its next days, the QR code."""
    station = get_object_or_404(selectors.public_stations(), pk=pk)
    return render(
        request,
        "public/station_poster.html",
        {
            "station": station,
            "reception_days": selectors.public_reception_days().filter(station=station)[:3],
            "form_url": request.build_absolute_uri(_form_url(station)),
        },
    )
