"""The reception plan of a station: the year's days, editing a planned day and who is on
duty, publishing, holding and cancelling; the visit list; the printed public notice.

Every change goes through stations/services/ or stations/planning.py; a day outside
the stations the user runs is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaison.base.flow import FlowError
from liaison.base.paging import list_page
from liaison.base.staff_moves import apply_errors
from representatives.models import Representative
from stations import planning, services
from stations.day_off_moves import day_off_warning
from stations.filters import VisitFilter
from stations.flow import RECEPTION_DAYS
from stations.models import DutyAssignment, ReceptionDay, StationMembership
from stations.scopes import station_chosen, stations_managed_by, visits_visible_to
from stations.staff.forms import CancelForm, PlanForm, ReceptionDayForm

DAY_SORTS = {"date": (gettext_lazy("Date"), ("date", "id"))}
VISIT_SORTS = {
    "-visited": (gettext_lazy("Newest first"), ("-visited_at", "-id")),
    "visited": (gettext_lazy("Oldest first"), ("visited_at", "id")),
}


def _duties():
    return Prefetch(
        "duties",
        queryset=DutyAssignment.objects.select_related("representative").order_by("-kind"),
    )


def _year(request) -> int:
    value = request.GET.get("year", "")
    return (
        int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year
    )


@login_required
def plan(request):
    """The year's reception days of one station, with who is on duty."""
    station, stations = station_chosen(request)
    year = _year(request)
    days = ReceptionDay.objects.filter(station=station, date__year=year).prefetch_related(_duties())
    listing = list_page(request, days, sorts=DAY_SORTS, default="date")
    return render(
        request,
        "staff/reception/plan.html",
        {
            "station": station,
            "stations": stations.order_by("region_id", "name"),
            "year": year,
            "years": [year - 1, year, year + 1],
            "listing": listing,
        },
    )


@login_required
@require_POST
def plan_generate(request):
    """Fill the year's missing days and empty duties (never touches existing ones)."""
    station, _stations = station_chosen(request)
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year."))
        return redirect("staff:reception-plan")
    year = form.cleaned_data["year"]
    report = planning.reception_plan_generate(
        year=year, stations=stations_managed_by(request.user).filter(pk=station.pk)
    )
    messages.success(
        request,
        _("%(days)s days and %(duties)s duties planned.")
        % {"days": report.days_created, "duties": report.duties_created},
    )
    for day in report.unplaced:
        messages.warning(
            request,
            _("%(date)s: not fully staffed; unavailable: %(names)s.")
            % {"date": f"{day.date:%Y-%m-%d}", "names": "、".join(day.unavailable)},
        )
    return redirect(f"{_plan_url()}?station={station.pk}&year={year}")


@login_required
@require_POST
def plan_publish(request):
    station, _stations = station_chosen(request)
    form = PlanForm(request.POST)
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    days = ReceptionDay.objects.filter(station=station, date__year=year)
    count = services.reception_days_publish(days=days, actor=request.user)
    messages.success(request, _("%(n)s reception days published.") % {"n": count})
    return redirect(f"{_plan_url()}?station={station.pk}&year={year}")


def _plan_url():
    return reverse("staff:reception-plan")


def _day(request, pk):
    return get_object_or_404(
        ReceptionDay.objects.filter(station__in=stations_managed_by(request.user))
        .select_related("station")
        .prefetch_related(_duties()),
        pk=pk,
    )


def _seated(day):
    return Representative.objects.filter(
        pk__in=StationMembership.objects.current(day.date)
        .filter(station_id=day.station_id)
        .values("representative_id")
    ).order_by("name")


@login_required
def day_edit(request, pk: int):
    day = _day(request, pk)
    seated = _seated(day)
    if request.method == "POST":
        form = ReceptionDayForm(request.POST, seated=seated)
        if form.is_valid():
            data = form.cleaned_data
            try:
                # The day and its duty together, or neither.
                with transaction.atomic():
                    services.reception_day_update(
                        day=day,
                        actor=request.user,
                        date=data["date"],
                        start_time=data["start_time"],
                        end_time=data["end_time"],
                        place=data["place"],
                        notice_lead_workdays=data["notice_lead_workdays"],
                    )
                    services.reception_day_set_duty(
                        day=day,
                        actor=request.user,
                        representatives=list(data["representatives"]),
                    )
            except ValidationError as error:
                apply_errors(form, error)
            except FlowError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Reception day saved."))
                return redirect("staff:reception-day", pk=day.pk)
        status = 400
    else:
        form = ReceptionDayForm(
            seated=seated,
            initial={
                "date": day.date,
                "start_time": day.start_time,
                "end_time": day.end_time,
                "place": day.place,
                "notice_lead_workdays": day.notice_lead_workdays,
                "representatives": [duty.representative_id for duty in day.duties.all()],
            },
        )
        status = 200
    return render(
        request,
        "staff/reception/day.html",
        {
            "day": day,
            "form": form,
            "cancel_form": CancelForm(),
            # The status moves; editing and the duty are the form above.
            "actions": [
                t for t in RECEPTION_DAYS.available(request.user, day) if t.target is not None
            ],
            "day_off": day_off_warning(day),
        },
        status=status,
    )


ACTIONS = {
    "publish": services.reception_day_publish,
    "unpublish": services.reception_day_unpublish,
    "hold": services.reception_day_hold,
}


@login_required
@require_POST
def day_action(request, pk: int, action: str):
    day = _day(request, pk)
    try:
        if action == "cancel":
            form = CancelForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            services.reception_day_cancel(day=day, actor=request.user, reason=reason)
        elif action in ACTIONS:
            ACTIONS[action](day=day, actor=request.user)
        else:
            raise Http404
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except FlowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Reception day: %(status)s.") % {"status": _status(day)})
    return redirect("staff:reception-day", pk=day.pk)


def _status(day) -> str:
    return str(ReceptionDay.objects.get(pk=day.pk).get_status_display())


@login_required
def day_notice(request, pk: int):
    """The public notice for the notice board, for A4: only what may be published."""
    day = _day(request, pk)
    return render(request, "staff/print/notice.html", {"day": day})


@login_required
def visit_list(request):
    visits = visits_visible_to(request.user).select_related("station").prefetch_related("cases")
    listing = list_page(
        request, visits, filterset_class=VisitFilter, sorts=VISIT_SORTS, default="-visited"
    )
    stations = stations_managed_by(request.user).order_by("region_id", "name")
    return render(
        request,
        "staff/reception/visits.html",
        {"listing": listing, "stations": stations},
    )
