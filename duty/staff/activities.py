"""/staff/duty/activities/: the activities a user may see, recording one, its page with
the moves the table allows (confirm, return, submit again, withdraw, raise a finding as
a case), editing, and its photos and documents (served only to users who see it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from duty.filters import ActivityFilter
from duty.flow import ACTIVITIES
from duty.models import ActivityParticipant
from duty.scopes import activities_visible_to, group_ids_of, records_visible_to
from duty.services import activities as services
from duty.services.files import activity_attach
from duty.services.findings import activity_raise_case
from duty.staff.forms import ActivityForm, ActivityNewForm, FileForm, RaiseCaseForm, ReasonForm
from liaison.base.flow import FlowError
from liaison.base.paging import list_page
from liaison.base.private_files import private_file_response
from liaison.base.scopes import in_regions, regions_visible_to, scope_of
from liaison.base.staff_moves import MoveForm, MovePages, StaffMove, apply_errors
from representatives.models import Representative, RepresentativeGroup
from stations.models import StationMembership
from stations.scopes import stations_managed_by

SORTS = {
    "-date": (gettext_lazy("Newest first"), ("-date", "-id")),
    "date": (gettext_lazy("Oldest first"), ("date", "id")),
}


class ConfirmForm(MoveForm):
    pass


PAGES = MovePages(
    flow=ACTIVITIES,
    moves={
        "confirm": StaffMove(ConfirmForm, services.activity_confirm),
        "return": StaffMove(ReasonForm, services.activity_return),
        "resubmit": StaffMove(ConfirmForm, services.activity_resubmit),
        "withdraw": StaffMove(ReasonForm, services.activity_withdraw),
        "raise_case": StaffMove(RaiseCaseForm, activity_raise_case),
    },
    id_argument="activity_id",
)
# Moves with pages of their own, not offered as a form in the list of moves.
OWN_PAGES = {"edit", "attach"}


def _participants():
    return Prefetch(
        "participants",
        queryset=ActivityParticipant.objects.select_related("representative").order_by(
            "representative__name"
        ),
    )


@login_required
def activity_list(request):
    activities = (
        activities_visible_to(request.user)
        .select_related("group", "station", "region")
        .prefetch_related(_participants())
    )
    listing = list_page(
        request, activities, filterset_class=ActivityFilter, sorts=SORTS, default="-date"
    )
    return render(request, "staff/duty/activities.html", {"listing": listing})


def _choices(user):
    """What the recording form offers: the user's representatives (a representative:
    themselves), groups, stations and committee regions."""
    scope = scope_of(user)
    if scope.is_committee or scope.station_ids or scope.group_ids:
        representatives = records_visible_to(user)
    else:
        representatives = Representative.objects.filter(pk=scope.representative_id)
    groups = RepresentativeGroup.objects.filter(
        in_regions("region_id", scope.region_bounds)
        | Q(pk__in=group_ids_of(user))
        | Q(members=scope.representative_id)
    ).distinct()
    if scope.is_admin:
        groups = RepresentativeGroup.objects.all()
    stations = stations_managed_by(user)
    if scope.representative_id is not None:
        stations = stations | stations.model.objects.filter(
            pk__in=StationMembership.objects.current()
            .filter(representative_id=scope.representative_id)
            .values("station_id")
        )
    regions = regions_visible_to(user)
    if scope.representative_id is not None and not scope.is_committee:
        regions = regions.model.objects.filter(
            pk=Representative.objects.get(pk=scope.representative_id).region_id
        )
    return {
        "representatives": representatives,
        "groups": groups.order_by("name"),
        "stations": stations.filter(active=True).order_by("region_id", "name"),
        "regions": regions.order_by("code"),
    }


@login_required
def activity_new(request):
    scope = scope_of(request.user)
    if not (scope.is_committee or scope.station_ids or scope.group_ids or scope.representative_id):
        raise Http404
    choices = _choices(request.user)
    initial = {"representatives": [scope.representative_id]} if scope.representative_id else {}
    form = ActivityNewForm(request.POST or None, initial=initial, **choices)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_record(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            apply_errors(form, error)
        except FlowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Activity recorded.")
                if activity.status == "confirmed"
                else _("Activity recorded; it counts once it is confirmed."),
            )
            return redirect("staff:duty-activity", pk=activity.pk)
    return render(
        request,
        "staff/duty/activity_form.html",
        {"form": form, "new": True},
        status=400 if form.is_bound and form.errors else 200,
    )


def _activity(request, pk):
    return get_object_or_404(
        activities_visible_to(request.user)
        .select_related("group", "station", "region", "recorded_by")
        .prefetch_related(_participants(), "files", "findings__case"),
        pk=pk,
    )


def _render(request, activity, bound=None, file_form=None):
    available = ACTIVITIES.available(request.user, activity)
    allowed = {t.name for t in available}
    context = {
        # Editing and files have their own forms; the rest are the table's move forms.
        "forms": [
            (
                t,
                bound
                if bound is not None and bound.prefix == t.name
                else PAGES.form(t.name, user=request.user, row=activity),
            )
            for t in available
            if t.name in PAGES.moves
        ],
        "open_form": bound.prefix if bound is not None else "",
        "timeline": ACTIVITIES.timeline(activity.events.all()),
    }
    return render(
        request,
        "staff/duty/activity.html",
        {
            "activity": activity,
            "may_edit": "edit" in allowed,
            "may_attach": "attach" in allowed,
            "file_form": file_form or FileForm(),
            **context,
        },
        status=200 if bound is None and file_form is None else 400,
    )


@login_required
def activity_detail(request, pk: int):
    return _render(request, _activity(request, pk))


@login_required
@require_POST
def activity_move(request, pk: int, name: str):
    activity = _activity(request, pk)
    if name in OWN_PAGES:
        raise Http404
    return PAGES.post(
        request,
        row=activity,
        name=name,
        detail="staff:duty-activity",
        render_detail=lambda bound: _render(request, activity, bound),
    )


@login_required
def activity_edit(request, pk: int):
    activity = _activity(request, pk)
    if "edit" not in {t.name for t in ACTIVITIES.available(request.user, activity)}:
        raise Http404
    current = [p.representative_id for p in activity.participants.all()]
    representatives = _choices(request.user)["representatives"] | Representative.objects.filter(
        pk__in=current
    )
    initial = {
        "kind": activity.kind,
        "title": activity.title,
        "date": activity.date,
        "place": activity.place,
        "summary": activity.summary,
        "people_reached": activity.people_reached,
        "representatives": current,
    }
    form = ActivityForm(request.POST or None, initial=initial, representatives=representatives)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                activity_id=activity.pk, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        except FlowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Activity saved."))
            return redirect("staff:duty-activity", pk=activity.pk)
    return render(
        request,
        "staff/duty/activity_form.html",
        {"form": form, "activity": activity},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def activity_file_add(request, pk: int):
    activity = _activity(request, pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            activity_attach(
                activity_id=activity.pk, actor=request.user, file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        except FlowError as error:
            messages.error(request, error.message)
            return redirect("staff:duty-activity", pk=activity.pk)
        else:
            messages.success(request, _("File added."))
            return redirect("staff:duty-activity", pk=activity.pk)
    return _render(request, _activity(request, pk), file_form=form)


@login_required
def activity_file(request, pk: int, file_id: int):
    """A file of an activity the user may see; images and PDF inline, the rest downloaded."""
    activity = _activity(request, pk)
    attached = get_object_or_404(activity.files.all(), pk=file_id)
    return private_file_response(
        attached.file,
        filename=attached.name,
        content_type=attached.content_type,
        inline=attached.is_image or attached.content_type == "application/pdf",
    )
