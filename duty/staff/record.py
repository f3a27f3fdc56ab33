"""/staff/duty/: a representative's own record, the quota table of the representatives a
committee, a station or a group follows, and availability.

Reads go through ``duty.scopes`` (out of scope is a 404) and ``duty.record`` /
``duty.quotas`` (a constant number of queries whatever the number of rows).
"""

import datetime as dt
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from duty import drafting
from duty.models import ActivityStatus, DutyReport, SessionAttendance
from duty.quotas import AMBER, GREEN, RED, STATUS_LABELS, overall, quotas_for
from duty.record import counts_of
from duty.scopes import activities_visible_to, group_ids_of, records_visible_to
from duty.staff.forms import UnavailableForm
from liaison.base.flow import FlowError
from liaison.base.scopes import in_regions, scope_of
from liaison.base.staff_moves import apply_errors
from representatives.models import (
    CongressLevel,
    Representative,
    RepresentativeGroup,
    Unavailability,
)
from representatives.services import unavailability_add, unavailability_remove
from stations.models import Attendance, DutyAssignment, ReceptionStatus
from stations.services import duty_attendance_set

TABLE_PAGE = 100
STATUSES = {RED: 0, AMBER: 1, GREEN: 2}


def year_of(request) -> int:
    value = request.GET.get("year", "")
    this_year = timezone.localdate().year
    return int(value) if value.isdigit() and 2000 <= int(value) <= this_year else this_year


def groups_followed_by(user):
    """The groups a user may filter the table by: a committee's region's, else their own."""
    scope = scope_of(user)
    if scope.is_admin:
        return RepresentativeGroup.objects.all()
    return RepresentativeGroup.objects.filter(
        in_regions("region_id", scope.region_bounds) | Q(pk__in=group_ids_of(user))
    )


def follows_others(user) -> bool:
    """Committees, station liaisons, group liaisons and group leaders have a quota table."""
    scope = scope_of(user)
    return bool(
        scope.is_committee
        or scope.station_ids
        or scope.group_ids
        or (
            scope.representative_id is not None
            and RepresentativeGroup.objects.filter(leader_id=scope.representative_id).exists()
        )
    )


@login_required
def duty_home(request):
    """A representative's own record; for those who follow others, their quota table."""
    scope = scope_of(request.user)
    if follows_others(request.user):
        return quota_table(request)
    if scope.representative_id is None:
        raise Http404
    return record_page(request, scope.representative_id)


class TableRep(NamedTuple):
    pk: int
    name: str
    level: str
    region_id: str


@login_required
def quota_table(request):
    year = year_of(request)
    reps = records_visible_to(request.user).only("id", "name", "level", "region_id", "kind")
    groups = groups_followed_by(request.user)
    group = request.GET.get("group", "")
    if group.isdigit():
        reps = reps.filter(groups=int(group))
    name = request.GET.get("q", "").strip()
    if name:
        reps = reps.filter(name__contains=name[:50])
    level = request.GET.get("level", "")
    if level in CongressLevel.values:
        reps = reps.filter(level=level)
    ids = reps.values("pk")
    # Plain tuples: a county's 1,300 model instances cost more than the table's queries.
    reps = [
        TableRep(*row)
        for row in reps.order_by("name", "id").values_list("id", "name", "level", "region_id")
    ]
    quotas = quotas_for(reps, year=year, ids=ids)
    rows = [
        {"rep": rep, "quotas": quotas.get(rep.pk, []), "status": overall(quotas.get(rep.pk, []))}
        for rep in reps
    ]
    wanted = request.GET.get("status", "")
    totals = {s: sum(1 for r in rows if r["status"] == s) for s in STATUSES}
    if wanted in STATUSES:
        rows = [r for r in rows if r["status"] == wanted]
    rows.sort(key=lambda r: (STATUSES[r["status"]], r["rep"].name))
    page = Paginator(rows, TABLE_PAGE).get_page(request.GET.get("page"))
    codes = []
    for row in page.object_list:
        for quota in row["quotas"]:
            if quota.code not in [c for c, _ in codes]:
                codes.append((quota.code, quota.label))
    # Plain values for the template: one reverse and one label per kind, not per cell.
    record_url = reverse("staff:duty-record", args=[0]).removesuffix("0/")
    levels = {code: str(label) for code, label in CongressLevel.choices}
    labels = {code: str(label) for code, label in STATUS_LABELS.items()}
    for row in page.object_list:
        by_code = {q.code: q for q in row["quotas"]}
        rep = row["rep"]
        row["url"] = f"{record_url}{rep.pk}/?year={year}"
        row["level"] = levels.get(rep.level, rep.level)
        row["name"] = rep.name
        # Dicts, not tuples: the template engine tries a key before an index, and each
        # miss is an exception, five cells a row.
        row["cells"] = [
            {"status": q.status, "label": labels[q.status], "count": q.count, "target": q.target}
            if q
            else None
            for q in (by_code.get(code) for code, _ in codes)
        ]
    return render(
        request,
        "staff/duty/quota_table.html",
        {
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 4, -1),
            "page": page,
            "codes": codes,
            "totals": [(s, STATUS_LABELS[s], totals[s]) for s in STATUSES],
            "status": wanted,
            "groups": groups.order_by("name")[:200],
            "group": group,
            "q": name,
            "level": level,
            "levels": CongressLevel.choices,
            "own": scope_of(request.user).representative_id,
        },
    )


@login_required
def record_detail(request, pk: int):
    get_object_or_404(records_visible_to(request.user), pk=pk)
    return record_page(request, pk)


def record_page(request, rep_id: int):
    representative = Representative.objects.select_related("region").get(pk=rep_id)
    year = year_of(request)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    own = scope_of(request.user).representative_id == rep_id
    counts = counts_of(representative, start, end)
    quotas = quotas_for([representative], year=year).get(rep_id, [])
    duties = (
        DutyAssignment.objects.filter(representative_id=rep_id, date__range=(start, end))
        .select_related("reception_day__station")
        .order_by("-date")
    )
    activities = (
        activities_visible_to(request.user)
        .filter(participants__representative_id=rep_id, date__range=(start, end))
        .exclude(status=ActivityStatus.WITHDRAWN)
        .order_by("-date", "-id")[:100]
    )
    return render(
        request,
        "staff/duty/record.html",
        {
            "representative": representative,
            "own": own,
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 4, -1),
            "quotas": quotas,
            "counts": counts,
            "figures": drafting.figure_rows(drafting.figures_of_counts(counts)),
            "duties": duties,
            "held": ReceptionStatus.HELD,
            "attendance": Attendance,
            "activities": activities,
            "sessions": SessionAttendance.objects.filter(
                representative_id=rep_id, date__range=(start, end)
            ).select_related("session__region"),
            "reports": DutyReport.objects.filter(representative_id=rep_id).order_by("-year"),
            "this_year": timezone.localdate().year,
        },
    )


@login_required
@require_POST
def attendance_set(request, pk: int):
    """The representative (or the station) confirms a held station day, or says they
    did not attend."""
    duty = get_object_or_404(
        DutyAssignment.objects.filter(
            representative__in=records_visible_to(request.user)
        ).select_related("reception_day"),
        pk=pk,
    )
    try:
        duty_attendance_set(
            duty_id=duty.pk, actor=request.user, attendance=request.POST.get("attendance", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except FlowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Station day confirmed."))
    if scope_of(request.user).representative_id == duty.representative_id:
        return redirect(f"{_duty_url()}?year={duty.date.year}")
    return redirect("staff:duty-record", pk=duty.representative_id)


def _duty_url() -> str:
    return reverse("staff:duty-mine")


@login_required
def availability(request):
    """The days I cannot serve: marked before the year plan, respected by the planner."""
    rep_id = scope_of(request.user).representative_id
    if rep_id is None:
        raise Http404
    representative = Representative.objects.get(pk=rep_id)
    form = UnavailableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unavailability_add(
                actor=request.user, representative=representative, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved: the planner will leave these days out."))
            return redirect("staff:duty-availability")
    periods = Unavailability.objects.filter(
        representative_id=rep_id, end_date__gte=timezone.localdate() - dt.timedelta(days=365)
    )
    return render(
        request,
        "staff/duty/availability.html",
        {"form": form, "periods": periods},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def availability_remove(request, pk: int):
    rep_id = scope_of(request.user).representative_id
    period = get_object_or_404(Unavailability.objects.filter(representative_id=rep_id), pk=pk)
    unavailability_remove(actor=request.user, period_id=period.pk)
    messages.success(request, _("Removed."))
    return redirect("staff:duty-availability")


@login_required
def record_mine(request):
    """My own duty record (for a representative who also follows others)."""
    rep_id = scope_of(request.user).representative_id
    if rep_id is None:
        raise Http404
    return record_page(request, rep_id)
