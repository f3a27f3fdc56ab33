"""The header's search box: one result goes straight to it, several are listed."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from workarea.search import search


@login_required
def search_page(request):
    found = search(user=request.user, query=request.GET.get("q", ""))
    if found.only_url and request.GET.get("list") != "1":
        return redirect(found.only_url)
    return render(request, "workarea/search.html", {"found": found})
