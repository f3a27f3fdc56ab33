"""/staff/projects/: the projects a user may see, bringing a topic (also from cases),
and a project's page with the moves the table allows now."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.base.flow import FlowError
from liaison.base.models import Region
from liaison.base.regions import ancestor_codes
from liaison.base.scopes import regions_visible_to, scope_of
from liaison.base.staff_moves import MovePages, StaffMove, apply_errors
from projects.flow import PROJECTS
from projects.models import Step
from projects.scopes import projects_visible_to, shows_contact, votes_visible_to
from projects.services import delivery, screening, topics
from projects.staff import forms as f
from stations.models import Station
from suggestions.cases.scopes import cases_visible_to
from suggestions.proposals.scopes import suggestions_visible_to

PAGES = MovePages(
    flow=PROJECTS,
    moves={
        "shortlist": StaffMove(f.EmptyForm, screening.project_shortlist),
        "leave_out": StaffMove(f.ReasonForm, screening.project_leave_out),
        "edit": StaffMove(f.EditForm, screening.project_edit),
        "assign": StaffMove(f.AssignForm, delivery.project_assign),
        "milestone": StaffMove(f.MilestoneForm, delivery.milestone_add),
        "report": StaffMove(f.ReportForm, delivery.progress_report),
        "complete": StaffMove(f.EmptyForm, delivery.project_complete),
        "rate": StaffMove(f.RateForm, delivery.project_rate),
    },
    id_argument="project_id",
)


@login_required
def project_list(request):
    rows = projects_visible_to(request.user).select_related("region", "unit")
    step = request.GET.get("step", "")
    if step in Step.values:
        rows = rows.filter(step=step)
    page = Paginator(rows.order_by("-year", "region_id", "step", "id"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "projects/staff/list.html",
        {
            "page": page,
            "steps": Step.choices,
            "step": step,
            "votes": votes_visible_to(request.user).select_related("region")[:20],
            "is_committee": scope_of(request.user).is_committee,
        },
    )


def _regions(user):
    scope = scope_of(user)
    if scope.is_committee:
        return regions_visible_to(user)
    if scope.station_ids:
        codes = set()
        for code in Station.objects.filter(pk__in=scope.station_ids).values_list(
            "region_id", flat=True
        ):
            codes.update(ancestor_codes(code))
        return Region.objects.filter(code__in=codes)
    return f.regions_for_representative(scope.representative_id)


@login_required
def project_new(request):
    """A topic; with ``?cases=`` (one or several) a topic from those cases, with
    ``?suggestion=`` one from a representative suggestion."""
    scope = scope_of(request.user)
    if not (scope.is_committee or scope.station_ids or scope.representative_id):
        raise Http404
    case_ids = [int(c) for c in request.GET.getlist("cases") if c.isdigit()]
    cases = list(cases_visible_to(request.user).filter(pk__in=case_ids)) if case_ids else []
    if case_ids and not cases:
        raise Http404
    suggestion = None
    if request.GET.get("suggestion", "").isdigit():
        suggestion = get_object_or_404(
            suggestions_visible_to(request.user), pk=request.GET["suggestion"]
        )
    initial = {"year": timezone.localdate().year}
    if cases:
        initial.update(title=cases[0].title, region=cases[0].region_id)
    elif suggestion is not None:
        initial.update(title=suggestion.title, region=suggestion.region_id)
    form = f.TopicForm(
        request.POST or None,
        initial=initial,
        regions=_regions(request.user),
        stations=f.station_choices(scope),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if cases:
                data.pop("station", None)
                project = topics.project_from_cases(
                    actor=request.user, case_ids=[c.pk for c in cases], **data
                )
            elif suggestion is not None:
                data.pop("station", None)
                project = topics.project_from_suggestion(
                    actor=request.user, suggestion_id=suggestion.pk, **data
                )
            else:
                project = topics.project_collect(actor=request.user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        except FlowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Topic recorded."))
            return redirect("staff:project", pk=project.pk)
    return render(
        request,
        "projects/staff/new.html",
        {"form": form, "cases": cases, "suggestion": suggestion},
        status=400 if form.is_bound and form.errors else 200,
    )


def _project(request, pk):
    return get_object_or_404(
        projects_visible_to(request.user)
        .select_related("region", "unit", "vote", "proposer", "station")
        .prefetch_related(
            "milestones", "reports", "supervisors", "cases", "ratings__representative"
        ),
        pk=pk,
    )


def _render(request, project, bound=None):
    context = PAGES.context(user=request.user, row=project, bound=bound)
    return render(
        request,
        "projects/staff/detail.html",
        {"project": project, "shows_contact": shows_contact(request.user, project), **context},
        status=200 if bound is None else 400,
    )


@login_required
def project_detail(request, pk: int):
    return _render(request, _project(request, pk))


@login_required
@require_POST
def project_move(request, pk: int, name: str):
    project = _project(request, pk)
    return PAGES.post(
        request,
        row=project,
        name=name,
        detail="staff:project",
        render_detail=lambda bound: _render(request, project, bound),
    )
