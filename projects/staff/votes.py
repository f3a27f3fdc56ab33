"""/staff/projects/votes/: opening a vote on the candidate list, the tellers' count,
the electronic ballot of a representative, publication and corrections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaison.base.flow import FlowError
from liaison.base.scopes import regions_visible_to, scope_of
from liaison.base.staff_moves import apply_errors
from projects.models import BallotIssued, BallotKind, VoteStatus
from projects.scopes import votes_visible_to
from projects.services import votes as services
from projects.staff import forms as f

# The vote's history rows, by kind.
VOTE_EVENTS = {
    "open": gettext_lazy("Vote opened"),
    "count": gettext_lazy("Count entered"),
    "publish": gettext_lazy("Result published"),
    "correction": gettext_lazy("Correction"),
}


@login_required
def vote_new(request):
    if not scope_of(request.user).is_committee:
        raise Http404
    form = f.VoteForm(
        request.POST or None,
        initial={"year": timezone.localdate().year},
        regions=regions_visible_to(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            vote = services.vote_open(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        except FlowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The vote is open on the candidate list."))
            return redirect("staff:project-vote", pk=vote.pk)
    return render(
        request,
        "projects/staff/vote_new.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _vote(request, pk):
    return get_object_or_404(votes_visible_to(request.user).select_related("region"), pk=pk)


def _render(request, vote, *, tally_form=None, ballot_form=None, correction_form=None, status=200):
    tallies = list(vote.tallies.select_related("project").order_by("rank", "project_id"))
    committee = scope_of(request.user).covers_region(vote.region_id)
    is_open = vote.status == VoteStatus.OPEN
    may_cast = services.may_cast(request.user, vote)
    voted = (
        may_cast
        and BallotIssued.objects.filter(
            vote=vote, representative_id=scope_of(request.user).representative_id
        ).exists()
    )
    return render(
        request,
        "projects/staff/vote.html",
        {
            "vote": vote,
            "tallies": tallies,
            "committee": committee,
            "tally_form": tally_form
            or (
                f.TallyForm(tallies=tallies)
                if committee and is_open and vote.kind == BallotKind.PAPER
                else None
            ),
            "ballot_form": ballot_form
            or (f.BallotForm(tallies=tallies) if may_cast and not voted else None),
            "voted": voted,
            "ballots_cast": vote.issued.count() if vote.kind == BallotKind.ELECTRONIC else None,
            "correction_form": correction_form
            or (f.CorrectionForm() if committee and not is_open else None),
            "events": [(e, VOTE_EVENTS.get(e.kind, e.kind)) for e in vote.events.all()],
        },
        status=status,
    )


@login_required
def vote_detail(request, pk: int):
    return _render(request, _vote(request, pk))


def _run(request, vote, form, call, done: str, form_name: str):
    if form.is_valid():
        try:
            call()
        except ValidationError as error:
            apply_errors(form, error)
        except FlowError as error:
            messages.error(request, error.message)
            return redirect("staff:project-vote", pk=vote.pk)
        else:
            messages.success(request, done)
            return redirect("staff:project-vote", pk=vote.pk)
    return _render(request, vote, **{form_name: form}, status=400)


@login_required
@require_POST
def vote_count(request, pk: int):
    vote = _vote(request, pk)
    form = f.TallyForm(request.POST, tallies=list(vote.tallies.select_related("project")))
    return _run(
        request,
        vote,
        form,
        lambda: services.tally_enter(vote_id=vote.pk, actor=request.user, counts=form.counts()),
        _("The count is entered; check it, then publish the result."),
        "tally_form",
    )


@login_required
@require_POST
def vote_cast(request, pk: int):
    vote = _vote(request, pk)
    form = f.BallotForm(request.POST, tallies=list(vote.tallies.select_related("project")))
    return _run(
        request,
        vote,
        form,
        lambda: services.ballot_cast(vote_id=vote.pk, actor=request.user, choices=form.choices()),
        _("Your ballot is cast. It is stored without your name."),
        "ballot_form",
    )


@login_required
@require_POST
def vote_publish(request, pk: int):
    vote = _vote(request, pk)
    try:
        services.vote_publish(vote_id=vote.pk, actor=request.user)
    except (FlowError, ValidationError) as error:
        messages.error(request, getattr(error, "message", None) or " ".join(error.messages))
    else:
        messages.success(request, _("The result is published."))
    return redirect("staff:project-vote", pk=vote.pk)


@login_required
@require_POST
def vote_correct(request, pk: int):
    vote = _vote(request, pk)
    form = f.CorrectionForm(request.POST)
    return _run(
        request,
        vote,
        form,
        lambda: services.vote_correct(vote_id=vote.pk, actor=request.user, **form.cleaned_data),
        _("The correction is recorded with the result."),
        "correction_form",
    )
