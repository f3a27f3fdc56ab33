"""Filing (提出): a representative files a suggestion, alone or with co-signers,
directly or from a station case the committee turned into a suggestion; the committee
may file for a representative from the paper form. It is numbered per congress and
year, and one filed between sessions falls due for assignment."""

from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base.flow import NotAllowed, clean_text, raise_errors
from liaison.base.jurisdiction import settings_for
from liaison.base.scopes import scope_of
from representatives.models import Representative
from suggestions.cases.scopes import cases_visible_to
from suggestions.models import IN_HANDS_OF_UNIT, Case, CaseCategory, Disposition
from suggestions.proposals.flow import SUGGESTIONS, may_file_for
from suggestions.proposals.models import Session, Source, Suggestion, SuggestionSigner
from suggestions.proposals.services.common import schedule_sweep
from suggestions.shared import deadlines


@transaction.atomic
def suggestion_file(
    *,
    actor: AbstractBaseUser,
    lead_representative: Representative,
    title: str,
    content: str,
    session: str,
    co_signers: Iterable[Representative] = (),
    category: CaseCategory | None = None,
    source_case_id: int | None = None,
) -> Suggestion:
    """A representative files a suggestion, alone or jointly, directly or from a case."""
    if lead_representative is None or not may_file_for(actor, lead_representative):
        raise NotAllowed(
            _("You may file suggestions only as, or for, a representative in your scope.")
        )
    errors: dict = {}
    title = clean_text(errors, "title", title, max_length=200)
    content = clean_text(errors, "content", content, max_length=10000)
    if session not in Session.values:
        errors["session"] = [_("Say whether it is filed during the session or between sessions.")]
    if category is not None and not category.active:
        errors["category"] = [_("Choose an active category.")]
    co_signers = {rep.pk: rep for rep in co_signers if rep.pk != lead_representative.pk}
    case = None
    if source_case_id is not None:
        case = _source_case(actor, source_case_id, errors)
    raise_errors(errors)
    today = timezone.localdate()
    suggestion = Suggestion(
        region_id=lead_representative.region_id,
        year=today.year,
        title=title,
        content=content,
        lead_representative=lead_representative,
        session=session,
        source=Source.CASE if case else Source.DIRECT,
        source_case=case,
        category=category or (case.category if case else None),
        received_on=today,
        filed_by=actor,
    )
    if session == Session.RECESS:
        rules = settings_for(suggestion.region_id)
        suggestion.deadline, suggestion.deadline_explanation = deadlines.in_workdays(
            start=today, workdays=rules.suggestion_assign_workdays, rule="suggestion_assign"
        )
        schedule_sweep(suggestion, rules)
    _save_numbered(suggestion)
    SuggestionSigner.objects.bulk_create(
        [SuggestionSigner(suggestion=suggestion, representative=lead_representative, is_lead=True)]
        + [
            SuggestionSigner(suggestion=suggestion, representative=rep)
            for rep in co_signers.values()
        ]
    )
    SUGGESTIONS.event(
        suggestion,
        kind="file",
        actor=actor,
        from_step="",
        data={"co_signers": sorted(co_signers), "case": case.pk if case else None},
    ).save()
    return suggestion


def _source_case(actor: AbstractBaseUser, case_id: int, errors: dict):
    case = cases_visible_to(actor).filter(pk=case_id).first()
    if case is None and scope_of(actor).representative_id is not None:
        # A representative files what the committee turned into a suggestion for them.
        case = (
            Case.objects.filter(pk=case_id, disposition=Disposition.SUGGESTION)
            .filter(visit__representatives=scope_of(actor).representative_id)
            .first()
        )
    if case is None:
        errors["source_case"] = [_("No such case.")]
    elif case.disposition != Disposition.SUGGESTION or case.step not in IN_HANDS_OF_UNIT:
        errors["source_case"] = [_("Only a case turned into a suggestion can be its source.")]
    elif Suggestion.objects.filter(source_case=case).exists():
        errors["source_case"] = [_("This case already has its suggestion.")]
    return case


def _save_numbered(suggestion: Suggestion) -> None:
    """The next number of the region's year (2026-0012); a clash with a concurrent
    filing takes the next one."""
    for attempt in range(5):
        last = Suggestion.objects.filter(region_id=suggestion.region_id, year=suggestion.year)
        suggestion.sequence = (last.aggregate(n=Max("sequence"))["n"] or 0) + 1
        suggestion.number = f"{suggestion.year}-{suggestion.sequence:04d}"
        try:
            with transaction.atomic():
                suggestion.save()
            return
        except IntegrityError:
            if attempt == 4:
                raise
