"""The reception desk: today's reception day, who is on duty, and the visit form.

The visit form is one POST: the visit and every case it raises are saved by
``visit_record`` in one transaction. A returning constituent is recognised by
phone among the visits of the same station only (never another station's
personal data), live through htmx or with the "look up" button without it.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.base.audit import audit_read
from liaison.base.flow import FlowError
from liaison.base.scopes import scope_of
from liaison.base.staff_moves import apply_errors
from liaison.base.validators import normalize_phone
from stations.models import (
    DutyAssignment,
    ReceptionDay,
    ReceptionStatus,
    VisitChannel,
)
from stations.scopes import station_chosen, visits_visible_to
from stations.selectors import seated_at
from suggestions.cases import services
from suggestions.cases.staff.forms import CaseRowFormSet, VisitForm
from suggestions.models import Case

PRIOR_VISITS = 5


def _today_day(station):
    duties = DutyAssignment.objects.select_related("representative").order_by("-kind")
    return (
        ReceptionDay.objects.filter(station=station, date=timezone.localdate())
        .exclude(status=ReceptionStatus.CANCELLED)
        .prefetch_related(Prefetch("duties", queryset=duties))
        .first()
    )


def _next_day(station):
    """The next reception day after today (planned or published), with who is on duty."""
    duties = DutyAssignment.objects.select_related("representative").order_by("-kind")
    return (
        ReceptionDay.objects.filter(
            station=station,
            date__gt=timezone.localdate(),
            status__in=[ReceptionStatus.PLANNED, ReceptionStatus.PUBLISHED],
        )
        .order_by("date", "start_time")
        .prefetch_related(Prefetch("duties", queryset=duties))
        .first()
    )


def prior_visits(user, station, phone: str):
    """Earlier visits with this phone at this station, newest first, with their cases."""
    phone = normalize_phone(phone)
    if len(phone) < 7:
        return []
    cases = Case.objects.only("id", "visit_id", "tracking_code", "title", "step")
    return list(
        visits_visible_to(user)
        .filter(station=station, constituent_phone=phone)
        .prefetch_related(Prefetch("cases", queryset=cases))
        .order_by("-visited_at")[:PRIOR_VISITS]
    )


@login_required
def console(request):
    station, stations = station_chosen(request)
    day = _today_day(station)
    representatives = seated_at(station)
    if request.method == "POST":
        form = VisitForm(request.POST, representatives=representatives)
        formset = CaseRowFormSet(request.POST, prefix="cases")
        if "add_row" in request.POST:
            data = request.POST.copy()
            data["cases-TOTAL_FORMS"] = str(formset.total_form_count() + 1)
            formset = CaseRowFormSet(data, prefix="cases")
            form = _as_typed(request.POST, representatives)
            return _render(request, station, stations, day, form, formset, lookup=True)
        if "lookup" in request.POST:
            form = _as_typed(request.POST, representatives)
            return _render(request, station, stations, day, form, formset, lookup=True)
        if form.is_valid() and formset.is_valid():
            visit = _save(request, station, day, form, formset)
            if visit is not None:
                return redirect(f"{request.path}?station={station.pk}")
        return _render(request, station, stations, day, form, formset, status=400)
    initial = {
        "visited_at": timezone.localtime().replace(second=0, microsecond=0, tzinfo=None),
        "channel": VisitChannel.RECEPTION_DAY if day else VisitChannel.WALK_IN,
        "representatives": [duty.representative_id for duty in day.duties.all()] if day else [],
    }
    form = VisitForm(initial=initial, representatives=representatives)
    return _render(request, station, stations, day, form, CaseRowFormSet(prefix="cases"))


def _as_typed(data, representatives) -> VisitForm:
    """The visit form as typed so far, not checked: looking a phone up or adding a row is
    not saving, and must not say "this field is required" under fields not filled yet."""
    initial = {name: data.get(name) for name in VisitForm.base_fields if name in data}
    initial["representatives"] = data.getlist("representatives")
    return VisitForm(initial=initial, representatives=representatives)


def _save(request, station, day, form, formset):
    data = form.cleaned_data
    cases = [row for row in formset.cleaned_data if row and not row.get("DELETE")]
    on_day = day if data["channel"] == VisitChannel.RECEPTION_DAY else None
    if data["channel"] == VisitChannel.RECEPTION_DAY and day is None:
        form.add_error("channel", _("There is no reception day at this station today."))
        return None
    try:
        visit = services.visit_record(
            actor=request.user,
            station=station,
            channel=data["channel"],
            visited_at=data["visited_at"],
            constituent_name=data["constituent_name"],
            constituent_phone=data["constituent_phone"],
            constituent_address=data["constituent_address"],
            constituent_id_number=data["constituent_id_number"],
            people_count=data["people_count"],
            reception_day=on_day,
            representatives=data["representatives"],
            cases=[{"title": c["title"], "description": c["description"]} for c in cases],
        )
    except ValidationError as error:
        apply_errors(form, error)
        return None
    except FlowError as error:
        form.add_error(None, error.message)
        return None
    codes = "、".join(visit.cases.values_list("tracking_code", flat=True))
    messages.success(
        request,
        _("Visit saved.") + (" " + _("Cases: %(codes)s") % {"codes": codes} if codes else ""),
    )
    return visit


def _render(request, station, stations, day, form, formset, *, lookup=False, status=200):
    phone = request.POST.get("constituent_phone", "") if lookup else ""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    today_visits = (
        visits_visible_to(request.user)
        .filter(station=station, visited_at__gte=start, visited_at__lt=start + dt.timedelta(days=1))
        .prefetch_related("cases")
        .order_by("-visited_at")[:50]
    )
    return render(
        request,
        "staff/reception/console.html",
        {
            "station": station,
            # One's own single station needs no chooser.
            "stations": stations.order_by("region_id", "name")
            if len(scope_of(request.user).station_ids) != 1
            else [],
            "day": day,
            "next_day": None if day else _next_day(station),
            "form": form,
            "formset": formset,
            "prior": prior_visits(request.user, station, phone) if phone else None,
            "phone": phone,
            "today_visits": list(today_visits),
        },
        status=status,
    )


@login_required
def phone_lookup(request):
    """htmx: the returning-constituent hint for the phone typed so far."""
    station, _stations = station_chosen(request)
    phone = request.GET.get("constituent_phone", "")
    prior = prior_visits(request.user, station, phone)
    if prior:
        ids = ",".join(str(visit.pk) for visit in prior)
        audit_read(request, object_type="stations.visit", object_id=ids, detail="phone lookup")
    return render(request, "staff/reception/prior_visits.html", {"prior": prior, "phone": phone})


@login_required
def visit_sheet(request, pk: int):
    """接待登记表 for A4: the visit and the cases it raised."""
    visit = get_object_or_404(
        visits_visible_to(request.user)
        .select_related("station", "reception_day", "recorded_by")
        .prefetch_related(
            "representatives", Prefetch("cases", queryset=Case.objects.order_by("id"))
        ),
        pk=pk,
    )
    audit_read(request, visit, detail="visit sheet")
    return render(request, "staff/print/visit_sheet.html", {"visit": visit})
