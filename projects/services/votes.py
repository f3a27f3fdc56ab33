"""The vote at the congress session (票决): open it on the candidate list, count it
(paper: the tellers' counts; electronic: the cast ballots), publish the result.

A published result is never edited: a correction is a new event with its reason, and a
vote taken again (a tie on the last seat) is the next year's or a new session's vote.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.base.flow import Conflict, IllegalTransition, NotAllowed, clean_text, raise_errors
from liaison.base.models import Region
from liaison.base.scopes import scope_of
from projects import counting
from projects.flow import PROJECTS
from projects.models import (
    Ballot,
    BallotIssued,
    BallotKind,
    Choice,
    PassRule,
    Project,
    Step,
    Tally,
    Vote,
    VoteEvent,
    VoteStatus,
)
from projects.services.topics import CONGRESS_LEVELS
from representatives.models import Representative


def _committee(actor, region_id: str) -> None:
    if not scope_of(actor).covers_region(region_id):
        raise NotAllowed(_("Only the committee of this congress runs its vote."))


def _locked(vote_id: int) -> Vote:
    return Vote.objects.select_for_update().get(pk=vote_id)


def _open(vote: Vote) -> None:
    if vote.status != VoteStatus.OPEN:
        raise IllegalTransition(_("The result is published and cannot be changed."))


@transaction.atomic
def vote_open(
    *,
    actor,
    region: Region,
    year: int,
    session: str,
    kind: str,
    seats: int,
    members: int,
    present: int,
    pass_rule: str = PassRule.ALL,
) -> Vote:
    """The session's vote on the region's candidate list of the year. There must be more
    candidates than projects (差额)."""
    _committee(actor, region.code)
    errors: dict = {}
    session = clean_text(errors, "session", session, max_length=100)
    if region.level not in CONGRESS_LEVELS:
        errors["region"] = [_("Choose a county or a township: their congresses vote.")]
    if kind not in BallotKind.values:
        errors["kind"] = [_("Choose paper or electronic ballots.")]
    if pass_rule not in PassRule.values:
        errors["pass_rule"] = [_("Choose a pass rule.")]
    if seats < 1:
        errors["seats"] = [_("At least one project.")]
    if present > members:
        errors["present"] = [_("More present than the congress has representatives.")]
    elif present < counting.quorum(members):
        errors["present"] = [
            _("The session needs more than two thirds present (%(quorum)s).")
            % {"quorum": counting.quorum(members)}
        ]
    candidates = list(
        Project.objects.select_for_update()
        .filter(region=region, year=year, step=Step.SHORTLISTED, vote=None)
        .order_by("pk")
    )
    if len(candidates) <= seats:
        errors["seats"] = [
            _(
                "%(n)s candidates for %(seats)s projects: the list needs more candidates than projects."
            )
            % {"n": len(candidates), "seats": seats}
        ]
    if Vote.objects.filter(region=region, year=year).exists():
        errors["year"] = [_("This congress has voted on this year's projects already.")]
    raise_errors(errors)
    vote = Vote.objects.create(
        region=region,
        year=year,
        session=session,
        kind=kind,
        pass_rule=pass_rule,
        seats=seats,
        members=members,
        present=present,
        created_by=actor,
    )
    Project.objects.filter(pk__in=[p.pk for p in candidates]).update(vote=vote)
    Tally.objects.bulk_create(Tally(vote=vote, project=p) for p in candidates)
    VoteEvent.objects.create(
        vote=vote, kind="open", actor=actor, data={"candidates": [p.pk for p in candidates]}
    )
    return vote


@transaction.atomic
def tally_enter(*, vote_id: int, actor, counts: dict[int, dict]) -> Vote:
    """The tellers' counts of the paper ballots, per candidate: ``{project id: {"votes_for":
    …, "against": …, "abstain": …, "invalid": …}}``. May be entered again until published."""
    vote = _locked(vote_id)
    _committee(actor, vote.region_id)
    _open(vote)
    if vote.kind != BallotKind.PAPER:
        raise IllegalTransition(_("An electronic vote is counted from its ballots."))
    tallies = {t.project_id: t for t in vote.tallies.all()}
    if set(counts) != set(tallies):
        raise ValidationError(_("Enter the count of every candidate."))
    for project_id, figures in counts.items():
        tally = tallies[project_id]
        for name in ("votes_for", "against", "abstain", "invalid"):
            value = figures.get(name) or 0
            if value < 0:
                raise ValidationError({name: [_("A count cannot be negative.")]})
            setattr(tally, name, value)
    counting.check(members=vote.members, present=vote.present, counts=_counts(tallies.values()))
    Tally.objects.bulk_update(tallies.values(), ["votes_for", "against", "abstain", "invalid"])
    VoteEvent.objects.create(
        vote=vote,
        kind="count",
        actor=actor,
        data={str(k): v for k, v in counts.items()},
    )
    return vote


def may_cast(actor, vote: Vote) -> bool:
    """A representative of this congress, while an electronic vote is open."""
    rep = scope_of(actor).representative_id
    return (
        vote.kind == BallotKind.ELECTRONIC
        and vote.status == VoteStatus.OPEN
        and rep is not None
        and Representative.objects.filter(pk=rep, region_id=vote.region_id).exists()
    )


@transaction.atomic
def ballot_cast(*, vote_id: int, actor, choices: dict[int, str]) -> None:
    """A representative's one electronic ballot. The ballot row holds the choices only;
    who voted is a separate row, so a second ballot is refused and no ballot is traced."""
    vote = _locked(vote_id)
    _open(vote)
    if not may_cast(actor, vote):
        raise NotAllowed(_("Only representatives of this congress vote, on its devices."))
    candidates = set(vote.tallies.values_list("project_id", flat=True))
    if set(choices) != candidates or not set(choices.values()) <= set(Choice.values):
        raise ValidationError(_("Mark every candidate: for, against or abstain."))
    if vote.issued.count() >= vote.present:
        raise Conflict(_("Every representative present has voted."))
    try:
        with transaction.atomic():
            BallotIssued.objects.create(
                vote=vote, representative_id=scope_of(actor).representative_id
            )
    except IntegrityError:
        raise IllegalTransition(_("You have voted already.")) from None
    Ballot.objects.create(vote=vote, choices={str(k): v for k, v in choices.items()})


def _counts(tallies) -> list[counting.Count]:
    return [
        counting.Count(t.project_id, t.votes_for, t.against, t.abstain, t.invalid) for t in tallies
    ]


def _sum_ballots(vote: Vote, tallies: dict[int, Tally]) -> None:
    for tally in tallies.values():
        tally.votes_for = tally.against = tally.abstain = tally.invalid = 0
    for ballot in Ballot.objects.filter(vote=vote).values_list("choices", flat=True):
        for project_id, choice in ballot.items():
            tally = tallies[int(project_id)]
            field = {"for": "votes_for", "against": "against", "abstain": "abstain"}[choice]
            setattr(tally, field, getattr(tally, field) + 1)


@transaction.atomic
def vote_publish(*, vote_id: int, actor) -> Vote:
    """Count, apply the pass rule and the number of projects, publish. The candidates
    become adopted or not adopted, each with its event; nothing of it changes after."""
    vote = _locked(vote_id)
    _committee(actor, vote.region_id)
    _open(vote)
    tallies = {t.project_id: t for t in vote.tallies.select_for_update()}
    if vote.kind == BallotKind.ELECTRONIC:
        _sum_ballots(vote, tallies)
    elif not any(t.votes_for or t.against or t.abstain or t.invalid for t in tallies.values()):
        raise IllegalTransition(_("Enter the tellers' counts first."))
    result = counting.count(
        members=vote.members,
        present=vote.present,
        rule=vote.pass_rule,
        seats=vote.seats,
        counts=_counts(tallies.values()),
    )
    for project_id, tally in tallies.items():
        tally.passed = project_id in result.passed
        tally.adopted = project_id in result.adopted
        tally.rank = result.rank[project_id]
    Tally.objects.bulk_update(
        tallies.values(),
        ["votes_for", "against", "abstain", "invalid", "passed", "adopted", "rank"],
    )
    projects = list(PROJECTS.lock(list(tallies)))
    events = []
    for project in projects:
        adopted = project.pk in result.adopted
        project.step = Step.ADOPTED if adopted else Step.NOT_ADOPTED
        events.append(
            PROJECTS.event(
                project,
                kind="adopted" if adopted else "not_adopted",
                actor=actor,
                from_step=Step.SHORTLISTED,
                data={
                    "votes_for": tallies[project.pk].votes_for,
                    "tied": project.pk in result.tied,
                },
            )
        )
    Project.objects.bulk_update(projects, ["step"])
    type(events[0]).objects.bulk_create(events)
    vote.status = VoteStatus.PUBLISHED
    vote.published_at = timezone.now()
    vote.save(update_fields=["status", "published_at"])
    VoteEvent.objects.create(
        vote=vote,
        kind="publish",
        actor=actor,
        data={
            "threshold": result.threshold,
            "adopted": sorted(result.adopted),
            "tied": sorted(result.tied),
        },
    )
    return vote


@transaction.atomic
def vote_correct(*, vote_id: int, actor, note: str) -> VoteEvent:
    """A correction of a published result: a new event with its reason, shown with the
    result; the counts stay as published."""
    vote = _locked(vote_id)
    _committee(actor, vote.region_id)
    if vote.status != VoteStatus.PUBLISHED:
        raise IllegalTransition(_("Correct the counts themselves until the result is published."))
    errors: dict = {}
    note = clean_text(errors, "note", note, max_length=2000)
    raise_errors(errors)
    return VoteEvent.objects.create(vote=vote, kind="correction", actor=actor, note=note)
