"""Case lists, the case page with its timeline, deadline and moves, and the referral letter."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaison.base.audit import audit_read
from liaison.base.flow import FlowError
from liaison.base.links import reversed_once
from liaison.base.pages import jinja_page
from liaison.base.paging import list_page
from liaison.base.scopes import scope_of
from suggestions.cases import selectors
from suggestions.cases.filters import CaseFilter
from suggestions.cases.handled import CompiledPage
from suggestions.cases.search import audit_person_search
from suggestions.cases.staff.forms import PAGES, BulkAssignForm
from suggestions.models import IN_HANDS_OF_UNIT, CaseCallback, Disposition, Step, Suggestion
from suggestions.shared.deadlines import explain
from suggestions.shared.scopes import units_visible_to

SORTS = {
    "-received": (gettext_lazy("Newest first"), ("-received_at", "-id")),
    "received": (gettext_lazy("Oldest first"), ("received_at", "id")),
    "deadline": (gettext_lazy("Deadline"), ("deadline", "id")),
    "-updated": (gettext_lazy("Recently changed"), ("-updated_at", "-id")),
}


def as_rows(listing) -> list[dict]:
    """The page's cases as dicts (``selectors.rows_completed``) with their links, for the
    table of cases: no model instance per row. They replace the page's rows, so that
    nothing evaluates the queryset a second time. A page read without its queryset
    (``list_page``'s ``unfiltered``: ``selectors.table``) already holds them as dicts."""
    cases = listing.page.object_list
    if isinstance(cases, list):  # read without its queryset
        found = cases
    elif isinstance(cases, CompiledPage):  # a unit's list on its compiled road (handled.py)
        found = cases.read_as(selectors.table_values)
    else:
        found = selectors.table_values(cases)
    rows = selectors.rows_completed(found)
    # One link pattern for every page instead of a reverse per row.
    pattern = reversed_once("staff:case-detail", _ANY_ID)
    for row in rows:
        row["href"] = pattern.replace(str(_ANY_ID), str(row["id"]))
    listing.page.object_list = rows
    return rows


_ANY_ID = 987654321


def _committee_or_404(user):
    scope = scope_of(user)
    if not scope.is_committee:
        raise Http404


@login_required
def case_list(request):
    user = request.user
    listing = list_page(
        request,
        lambda: selectors.case_list(user=user),
        filterset_class=CaseFilter,
        sorts=SORTS,
        default="-received",
        unfiltered=selectors.table(user=user),
    )
    rows = as_rows(listing)
    audit_person_search(request, [row["id"] for row in rows], where="case list")
    return jinja_page(
        request,
        "staff/cases/list_page.html",
        {"listing": listing, "case_rows": rows, "title": _("Cases")},
    )


@login_required
def overdue(request):
    _committee_or_404(request.user)
    listing = list_page(
        request,
        selectors.case_list(user=request.user).overdue(),
        sorts={"deadline": SORTS["deadline"], "-received": SORTS["-received"]},
        default="deadline",
    )
    return jinja_page(
        request,
        "staff/cases/list_page.html",
        {
            "listing": listing,
            "case_rows": as_rows(listing),
            "title": _("Overdue in my region"),
            "overdue_page": True,
        },
    )


@login_required
def inbox(request):
    """The committee's inbox: received and registered cases to classify and assign."""
    _committee_or_404(request.user)
    user = request.user
    queryset = selectors.case_list(user=user).filter(step__in=[Step.RECEIVED, Step.REGISTERED])
    if request.method == "POST":
        return _bulk_assign(request, queryset)
    listing = list_page(
        request, queryset, sorts={"deadline": SORTS["deadline"], **SORTS}, default="deadline"
    )
    form = BulkAssignForm(case_ids=[], units=units_visible_to(user).filter(active=True))
    return render(
        request,
        "staff/cases/inbox.html",
        {"listing": listing, "case_rows": as_rows(listing), "form": form},
    )


def _bulk_assign(request, queryset):
    """One service call per case, each in its own transaction; every refusal is reported."""
    posted = [pk for pk in request.POST.getlist("cases") if pk.isdigit()]
    ids = list(queryset.filter(pk__in=posted).values_list("pk", flat=True))
    form = BulkAssignForm(
        request.POST, case_ids=ids, units=units_visible_to(request.user).filter(active=True)
    )
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect("staff:inbox")
    service = BulkAssignForm.MOVES[form.cleaned_data["move"]]
    codes = dict(queryset.filter(pk__in=ids).values_list("pk", "tracking_code"))
    done = 0
    for pk in form.cleaned_data["cases"]:
        try:
            service(
                case_id=pk,
                actor=request.user,
                unit=form.cleaned_data["unit"],
                workdays=form.cleaned_data["workdays"],
            )
            done += 1
        except FlowError as error:
            messages.error(request, f"{codes.get(pk)}: {error.message}")
        except ValidationError as error:
            messages.error(request, f"{codes.get(pk)}: {' '.join(error.messages)}")
    if done:
        messages.success(request, _("%(n)s cases assigned.") % {"n": done})
    return redirect("staff:inbox")


@login_required
def case_detail(request, pk: int):
    case = _case_or_404(request.user, pk)
    audit_read(request, case)
    return _render_detail(request, case)


def _case_or_404(user, pk: int):
    case = selectors.case_for_page(user=user, pk=pk)
    if case is None:
        raise Http404
    return case


def _render_detail(request, case, bound=None):
    user = request.user
    parts = selectors.case_page_parts(case)
    return jinja_page(
        request,
        "staff/cases/detail_page.html",
        {
            "case": case,
            # Units do not see who came: a visit's personal data stays with station and region.
            "visit": selectors.case_page_visit(user=user, case=case),
            "deadline_text": explain(case.deadline_explanation),
            "callback": _callback_of(case),
            "overdue": case.is_overdue(),
            # Formatted here, where ``makemessages`` finds it (the body is Jinja2).
            "escalation": _("Escalation level %(level)s") % {"level": case.escalation_level}
            if case.escalation_level
            else "",
            "co_unit_names": parts["co_unit_names"],
            "ratings": parts["ratings"],
            **PAGES.context(user=user, row=case, bound=bound, events=parts["events"]),
            **_suggestion_of(case, user),
        },
        status=200 if bound is None else 400,
    )


def _callback_of(case) -> CaseCallback | None:
    try:
        return case.callback  # joined by selectors.case_page
    except CaseCallback.DoesNotExist:
        return None


def _suggestion_of(case, user) -> dict:
    """For a case turned into a suggestion: that suggestion, or whether the user may file it."""
    if case.disposition != Disposition.SUGGESTION:
        return {}
    suggestion = Suggestion.objects.filter(source_case=case).only("pk", "number").first()
    scope = scope_of(user)
    may_file = (
        suggestion is None
        and case.step in IN_HANDS_OF_UNIT
        and (scope.is_committee or scope.representative_id is not None)
    )
    return {"suggestion": suggestion, "may_file_suggestion": may_file}


@login_required
@require_POST
def case_move(request, pk: int, name: str):
    """One move through its service: field errors next to the fields, refusals as a message."""
    case = _case_or_404(request.user, pk)
    return PAGES.post(
        request,
        row=case,
        name=name,
        detail="staff:case-detail",
        render_detail=lambda bound: _render_detail(request, case, bound),
    )
