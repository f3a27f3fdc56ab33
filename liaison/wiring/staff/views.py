"""Login and "my work": what is due today, overdue, waiting for me, recently changed."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Window, prefetch_related_objects
from django.shortcuts import render
from django.utils import timezone

from liaison.base.scopes import scope_of
from suggestions.cases import selectors
from suggestions.proposals import selectors as suggestion_selectors

ROWS = 10


@login_required
def home(request):
    user, today = request.user, timezone.localdate()
    cases = selectors.case_list(user=user)
    sections = [
        ("waiting", selectors.waiting_for(user).order_by("deadline", "id")),
        ("due_today", selectors.due_on(cases, today).order_by("id")),
        ("overdue", cases.overdue(today).order_by("deadline", "id")),
        ("recent", selectors.recently_changed(user)),
    ]
    # One co-unit query for all four sections: a prefetch per section would cost a query
    # only when that section has rows, so the page's count would change with the day.
    # Each list says how many there are in all, beside its "see all" link: COUNT(*) OVER ()
    # rides on the query of the first rows, so the count costs no query of its own.
    rows = {
        name: list(queryset.prefetch_related(None).annotate(total=Window(Count("pk")))[:ROWS])
        for name, queryset in sections
    }
    counts = {f"{name}_count": found[0].total if found else 0 for name, found in rows.items()}
    prefetch_related_objects([case for cases in rows.values() for case in cases], "co_units")
    return render(
        request,
        "staff/home.html",
        {
            "today": today,
            "roles": scope_of(user).roles,
            "suggestion_work": suggestion_selectors.work_for(user=user),
            **rows,
            **counts,
        },
    )
