"""The header's search box: one result goes straight to it, several are listed."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from liaison.base.audit import audit_read
from workarea.search import search


@login_required
def search_page(request):
    found = search(user=request.user, query=request.GET.get("q", ""))
    if found.person:
        # A search by a constituent's phone or name is the desk's lookup by another door.
        ids = [case.pk for case in found.cases]
        audit_read(
            request,
            object_type="suggestions.case",
            object_id=ids,
            detail=f"search by {found.person}",
        )
    if found.only_url and request.GET.get("list") != "1":
        return redirect(found.only_url)
    return render(request, "workarea/search.html", {"found": found})
