"""The handling unit's page and the representative's page."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Case as CaseWhen
from django.db.models import IntegerField, Value, When
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base.filtering import filters_asked
from liaison.base.pages import jinja_page
from liaison.base.paging import list_page
from liaison.base.scopes import scope_of
from stations.models import DutyAssignment
from suggestions.cases import selectors
from suggestions.cases.filters import UnitCaseFilter
from suggestions.cases.staff.cases import SORTS, as_rows
from suggestions.models import IN_HANDS_OF_UNIT

UNIT_WORK_FIRST = (
    _("To do first, then deadline"),
    (
        CaseWhen(
            When(step__in=IN_HANDS_OF_UNIT, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        "deadline",
        "id",
    ),
)


# The same order among open cases, where the ones in the unit's hands are exactly those
# with a deadline (a reply clears it, a case in handling must have one) and PostgreSQL
# puts no deadline last: what the partial (lead_unit_id, deadline, id) index walks.
OPEN_WORK_FIRST = (UNIT_WORK_FIRST[0], ("deadline", "id"))


@login_required
def unit_page(request):
    """What is assigned to my unit: its open cases unless asked for the closed or all
    (``state``), what the unit still has to do first, soonest deadline first (a replied
    case has nothing left to do for it)."""
    if not scope_of(request.user).unit_ids:
        raise Http404
    # SQLite puts no deadline first: there the open cases take the whole expression.
    open_only = request.GET.get("state", "open") in ("", "open")
    work_first = (
        OPEN_WORK_FIRST if open_only and connection.vendor == "postgresql" else UNIT_WORK_FIRST
    )
    # A query that asks no filter gets UnitCaseFilter's default from list_page, the same
    # for every such request: the list's SQL is then built once per process.
    asked = filters_asked(UnitCaseFilter, request.GET)
    listing = list_page(
        request,
        selectors.handled_by_units(request.user, known_as=None if asked else UNIT_PAGE_OPENED),
        filterset_class=UnitCaseFilter,
        sorts={"open": work_first, "deadline": SORTS["deadline"], **SORTS},
        default="open",
    )
    return jinja_page(
        request,
        "staff/cases/list_page.html",
        {
            "listing": listing,
            "case_rows": as_rows(listing),
            "title": _("Assigned to my unit"),
            # Only their names show, above the list.
            "units": selectors.unit_names(request.user),
        },
    )


# What list_page does to the unit page's list when the query asks no filter: narrows it
# with UnitCaseFilter's default (the open cases), orders it and slices a page.
UNIT_PAGE_OPENED = ("unit page, no filter asked", UnitCaseFilter)


@login_required
def representative_page(request):
    """My duty days (a year back and all coming) and the cases of visits I received."""
    representative_id = scope_of(request.user).representative_id
    if representative_id is None:
        raise Http404
    today = timezone.localdate()
    duties = (
        DutyAssignment.objects.filter(
            representative_id=representative_id, date__gte=today - dt.timedelta(days=365)
        )
        .select_related("reception_day__station")
        .order_by("-date")
    )
    listing = list_page(
        request, selectors.received_by(request.user), sorts=SORTS, default="-received"
    )
    return render(
        request,
        "staff/representative.html",
        {"duties": list(duties[:60]), "listing": listing, "today": today},
    )
