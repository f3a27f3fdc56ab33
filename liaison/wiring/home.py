"""The public home page: search, the coming reception days and the published figures
(people received, opinions collected, assigned, completed, satisfaction), by region.

Project-wide wiring: it composes stations/ (reception days) and figures/ (the published figures),
which stations/ may not import.
"""

from django.shortcuts import render

from figures.public import PublicPeriodForm, public_figures
from liaison.base.public_cache import FIGURES, public_page
from stations import places
from stations import selectors as station_selectors
from stations.filters import PublicReceptionDayFilter


@public_page("region", "station", "representative", "reception", FIGURES)
def home(request):
    filterset, pick = places.region_filter(
        PublicReceptionDayFilter, request.GET, station_selectors.public_reception_days()
    )
    # The filter cleans the code to its region (one lookup), or to None.
    region = filterset.form.cleaned_data.get("region") if filterset.is_valid() else None
    period_form = PublicPeriodForm(request.GET or None)
    period = period_form.get_period()
    return render(
        request,
        "public/home.html",
        {
            "filter": filterset,
            "pick": pick,
            "region": region,
            "reception_days": filterset.qs[:12],
            "period_form": period_form,
            "period": period,
            "figures": public_figures(region=region, period=period),
        },
    )
