"""Suggestion lists by role, the suggestion page and its moves, and filing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaison.base.paging import list_page
from liaison.base.scopes import scope_of
from representatives.models import Representative
from suggestions.proposals import selectors
from suggestions.proposals.filters import SuggestionFilter
from suggestions.proposals.staff.forms import PAGES, FilingForm
from suggestions.shared.deadlines import explain

SORTS = {
    "-filed": (gettext_lazy("Newest first"), ("-filed_at", "-id")),
    "filed": (gettext_lazy("Oldest first"), ("filed_at", "id")),
    "deadline": (gettext_lazy("Deadline"), ("deadline", "id")),
    "-updated": (gettext_lazy("Recently changed"), ("-updated_at", "-id")),
}


def _listing(request, queryset, *, title, template="staff/proposals/list.html", **extra):
    listing = list_page(
        request, queryset, filterset_class=SuggestionFilter, sorts=SORTS, default="-filed"
    )
    return render(request, template, {"listing": listing, "title": title, **extra})


@login_required
def suggestion_list(request):
    """Every suggestion in the user's scope."""
    return _listing(request, selectors.suggestion_list(user=request.user), title=_("Suggestions"))


@login_required
def mine(request):
    """A representative's own: those they signed, and the replies waiting for their rating."""
    representative_id = scope_of(request.user).representative_id
    if representative_id is None:
        raise Http404
    to_rate = selectors.to_rate(user=request.user, representative_id=representative_id)
    return _listing(
        request,
        selectors.signed_by(
            selectors.suggestion_list(user=request.user), representative_id=representative_id
        ),
        title=_("My suggestions"),
        template="staff/proposals/mine.html",
        to_rate=list(to_rate.order_by("-replied_at", "-id")[:20]),
    )


@login_required
def inbox(request):
    """The committee's: filed to accept or return, accepted to assign, rated to decide,
    and extensions waiting for a decision."""
    scope = scope_of(request.user)
    if not scope.is_committee:
        raise Http404
    return _listing(
        request,
        selectors.committee_inbox(user=request.user),
        title=_("Suggestion inbox"),
        paper_filing=True,
    )


@login_required
def unit(request):
    """What my unit leads or co-handles, with the reply or opinion due."""
    unit_ids = scope_of(request.user).unit_ids
    if not unit_ids:
        raise Http404
    listing = list_page(
        request,
        selectors.for_units(user=request.user, unit_ids=unit_ids),
        filterset_class=SuggestionFilter,
        sorts={"deadline": SORTS["deadline"], **SORTS},
        default="deadline",
    )
    return render(
        request,
        "staff/proposals/unit.html",
        {
            "listing": listing,
            "title": _("Suggestions for my unit"),
            "user_unit_ids": unit_ids,
        },
    )


@login_required
def file(request):
    """A representative files a suggestion, alone or with co-signers; committee staff
    enter one a representative of their regions handed in on paper. With ``?case=``,
    the suggestion is filed from a case the committee turned into one."""
    scope = scope_of(request.user)
    files_for_others = scope.is_committee
    case = _chosen(request, "case", selectors.cases_to_file_from(user=request.user))
    if files_for_others and request.GET.get("representative"):
        lead = _chosen(
            request, "representative", selectors.representatives_to_file_for(user=request.user)
        )
    elif scope.representative_id is not None:
        lead = Representative.objects.get(pk=scope.representative_id)
    elif files_for_others:
        return _choose_representative(request, case)
    else:
        raise Http404
    form = FilingForm(request.POST or None, user=request.user, lead=lead, case=case)
    if request.method == "POST" and form.is_valid():
        suggestion = form.file()
        if suggestion:
            messages.success(
                request, _("Suggestion %(number)s filed.") % {"number": suggestion.number}
            )
            return redirect("staff:suggestion-detail", pk=suggestion.pk)
    status = 400 if form.is_bound else 200
    on_behalf = lead.pk != scope.representative_id
    return render(
        request,
        "staff/proposals/file.html",
        {"form": form, "lead": lead, "on_behalf": on_behalf, "case": case},
        status=status,
    )


def _chosen(request, parameter: str, queryset):
    """The row a query-string id names within ``queryset``; None when absent, 404 when it
    is not a number or not there (out of scope looks the same as missing)."""
    chosen = request.GET.get(parameter, "")
    if not chosen:
        return None
    if not chosen.isdigit():
        raise Http404
    return get_object_or_404(queryset, pk=int(chosen))


PICK_LIMIT = 30


def _choose_representative(request, case):
    """The first step of entering a paper suggestion, or one from a case: its lead
    representative, found by name or, for a case, among those who received it."""
    name = request.GET.get("name", "").strip()[:50]
    eligible = selectors.representatives_to_file_for(user=request.user, name=name)
    found = []
    if case is not None and not name:
        found = list(eligible.filter(received_visits=case.visit_id)[: PICK_LIMIT + 1])
    elif name:
        found = list(eligible[: PICK_LIMIT + 1])
    return render(
        request,
        "staff/proposals/file_choose.html",
        {"name": name, "case": case, "found": found[:PICK_LIMIT], "more": len(found) > PICK_LIMIT},
    )


@login_required
def detail(request, pk: int):
    suggestion = get_object_or_404(selectors.suggestion_detail(user=request.user), pk=pk)
    return _render_detail(request, suggestion)


def _render_detail(request, suggestion, bound=None):
    rounds: dict[int, dict] = {}
    for reply in suggestion.replies.all():
        rounds.setdefault(reply.round, {"replies": [], "ratings": []})["replies"].append(reply)
    for rating in suggestion.ratings.all():
        rounds.setdefault(rating.round, {"replies": [], "ratings": []})["ratings"].append(rating)
    return render(
        request,
        "staff/proposals/detail.html",
        {
            "suggestion": suggestion,
            "deadline_text": explain(suggestion.deadline_explanation),
            "overdue": suggestion.is_overdue(),
            "rounds": sorted(rounds.items()),
            **PAGES.context(user=request.user, row=suggestion, bound=bound),
        },
        status=200 if bound is None else 400,
    )


@login_required
@require_POST
def move(request, pk: int, name: str):
    """One move through its service: field errors next to the fields, refusals as a message."""
    suggestion = get_object_or_404(selectors.suggestion_detail(user=request.user), pk=pk)
    return PAGES.post(
        request,
        row=suggestion,
        name=name,
        detail="staff:suggestion-detail",
        render_detail=lambda bound: _render_detail(request, suggestion, bound),
    )
