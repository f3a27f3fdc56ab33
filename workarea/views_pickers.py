"""The pickers' JSON endpoints (static/js/picker.js): ``?q=`` a part of a name."""

import unicodedata

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse

from workarea import pickers

SEARCHES = {
    "stations": pickers.pick_stations,
    "units": pickers.pick_units,
    "regions": pickers.pick_regions,
    "representatives": pickers.pick_representatives,
}


@login_required
def pick(request, kind: str):
    query = unicodedata.normalize("NFKC", request.GET.get("q", "")).strip()[:50]
    results = SEARCHES[kind](user=request.user, query=query, params=request.GET)
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, no-store"
    return response
