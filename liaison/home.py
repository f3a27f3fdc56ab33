"""The public home page: search, the coming reception days and the published figures
(people received, opinions collected, assigned, completed, satisfaction), by region.

Project-wide wiring: it composes stations/ (reception days) and suggestions/ (figures),
which stations/ may not import.
"""

from django.shortcuts import render

from liaison.models import Region
from stations import selectors as station_selectors
from stations.filters import PublicReceptionDayFilter
from suggestions import selectors as case_selectors


def home(request):
    filterset = PublicReceptionDayFilter(
        request.GET, queryset=station_selectors.public_reception_days()
    )
    region = None
    if filterset.is_valid() and (code := filterset.form.cleaned_data.get("region")):
        region = Region.objects.filter(code=code).first()
    return render(
        request,
        "public/home.html",
        {
            "filter": filterset,
            "region": region,
            "reception_days": filterset.qs[:12],
            "figures": case_selectors.public_figures(region=region),
        },
    )
