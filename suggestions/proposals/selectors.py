"""Reads of suggestions: scoped for staff, published-only for the public, and a
constant number of queries whatever the page size."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from liaison.base.scopes import in_regions, scope_of
from representatives.models import Representative
from stations.scopes import representatives_visible_to
from suggestions.cases.scopes import cases_visible_to
from suggestions.models import IN_HANDS_OF_UNIT, Case, Disposition
from suggestions.proposals.models import (
    WITH_UNIT,
    Extension,
    Rating,
    Suggestion,
    SuggestionCoUnit,
    SuggestionEvent,
    SuggestionRating,
    SuggestionReply,
    SuggestionSigner,
    SuggestionStep,
    suggestion_ids_handled_by,
)
from suggestions.proposals.scopes import suggestions_visible_to

_RELATED = ("region", "category", "lead_unit", "lead_representative")


def suggestion_list(*, user) -> QuerySet[Suggestion]:
    return suggestions_visible_to(user).select_related(*_RELATED).prefetch_related("co_units")


def suggestion_detail(*, user) -> QuerySet[Suggestion]:
    return suggestion_list(user=user).prefetch_related(*_detail_prefetches(), _events())


def _detail_prefetches() -> list[Prefetch]:
    return [
        Prefetch(
            "signings",
            queryset=SuggestionSigner.objects.select_related("representative").order_by(
                "-is_lead", "id"
            ),
        ),
        Prefetch("replies", queryset=SuggestionReply.objects.select_related("representative")),
        Prefetch("ratings", queryset=SuggestionRating.objects.select_related("representative")),
        Prefetch("co_unit_rows", queryset=SuggestionCoUnit.objects.select_related("unit")),
        "contacts",
    ]


def _events() -> Prefetch:
    return Prefetch(
        "events", queryset=SuggestionEvent.objects.select_related("actor").order_by("at", "id")
    )


def handled_by(queryset: QuerySet[Suggestion], *, unit_id: int) -> QuerySet[Suggestion]:
    """Suggestions a unit leads or co-handles."""
    return handled_by_any(queryset, unit_ids=[unit_id])


def handled_by_any(queryset: QuerySet[Suggestion], *, unit_ids) -> QuerySet[Suggestion]:
    return queryset.filter(pk__in=suggestion_ids_handled_by(unit_ids))


def for_units(*, user, unit_ids) -> QuerySet[Suggestion]:
    """A unit's work list: what it leads or co-handles, with its own co-unit rows
    (opinion due, sent) fetched in bulk."""
    own_rows = SuggestionCoUnit.objects.filter(unit_id__in=unit_ids).select_related("unit")
    return handled_by_any(suggestion_list(user=user), unit_ids=unit_ids).prefetch_related(
        Prefetch("co_unit_rows", queryset=own_rows, to_attr="own_co_unit_rows")
    )


# The committee's inbox: to accept, return, merge or assign; to decide after the
# ratings; and extensions waiting for a decision.
INBOX_STEPS = (SuggestionStep.FILED, SuggestionStep.ACCEPTED, SuggestionStep.RATED)


def committee_inbox(*, user) -> QuerySet[Suggestion]:
    return suggestion_list(user=user).filter(
        Q(step__in=INBOX_STEPS) | Q(extension=Extension.REQUESTED)
    )


def to_rate(*, user, representative_id: int) -> QuerySet[Suggestion]:
    """Replies waiting for this representative's rating (this round, not yet rated)."""
    rated = SuggestionRating.objects.filter(
        representative_id=representative_id, suggestion_id=OuterRef("pk"), round=OuterRef("round")
    )
    return signed_by(
        suggestion_list(user=user).filter(step=SuggestionStep.REPLIED),
        representative_id=representative_id,
    ).exclude(Exists(rated))


def representatives_to_file_for(*, user, name: str = "") -> QuerySet[Representative]:
    """Whom committee staff may enter a paper suggestion for: the representatives of their
    regions (``flow.may_file_for``), found by name."""
    scope = scope_of(user)
    found = Representative.objects.all()
    if not scope.is_admin:
        found = found.filter(in_regions("region_id", scope.region_bounds))
    if name := name.strip():
        found = found.filter(name__contains=name)
    return found.select_related("region").order_by("name", "id")


def cases_to_file_from(*, user) -> QuerySet[Case]:
    """Cases in the user's scope that the committee turned into a suggestion and that have
    none yet (the service checks again when filing)."""
    return (
        cases_visible_to(user)
        .filter(disposition=Disposition.SUGGESTION, step__in=IN_HANDS_OF_UNIT)
        .exclude(pk__in=Suggestion.objects.filter(source_case__isnull=False).values("source_case"))
        .select_related("category")
    )


def co_signer_choices(*, user, lead) -> QuerySet[Representative]:
    """Who may sign with ``lead``: representatives of the same congress that the
    user may see (in scope, or published), not ``lead``."""
    if lead is None:
        return Representative.objects.none()
    same_congress = Representative.objects.filter(
        region_id=lead.region_id, level=lead.level
    ).exclude(pk=lead.pk)
    return same_congress.filter(
        Q(published=True) | Q(pk__in=representatives_visible_to(user).values("pk"))
    ).order_by("name", "id")


def signers_yet_to_rate(suggestion: Suggestion) -> QuerySet[Representative]:
    rated = SuggestionRating.objects.filter(suggestion=suggestion, round=suggestion.round)
    return (
        Representative.objects.filter(
            suggestion_signings__suggestion=suggestion,
        )
        .exclude(pk__in=rated.values("representative_id"))
        .order_by("name", "id")
    )


def signed_by(queryset: QuerySet[Suggestion], *, representative_id: int) -> QuerySet[Suggestion]:
    return queryset.filter(
        pk__in=SuggestionSigner.objects.filter(representative_id=representative_id).values(
            "suggestion_id"
        )
    )


# PUBLIC: only what is published, never a merged duplicate.


def public_suggestions() -> QuerySet[Suggestion]:
    return (
        Suggestion.objects.published()
        .exclude(step=SuggestionStep.MERGED)
        .select_related(*_RELATED)
        .order_by("-year", "-sequence", "-id")
    )


def public_suggestion_detail() -> QuerySet[Suggestion]:
    return public_suggestions().prefetch_related(*_detail_prefetches())


def excellent(*, year: int) -> QuerySet[Suggestion]:
    return public_suggestions().filter(year=year, excellent=True)


def excellent_candidates(*, region_code: str, year: int, limit: int = 10):
    """Published suggestions of the congress and year the committee may choose from:
    the most satisfied ratings first, then those solved (A)."""
    return (
        public_suggestions()
        .filter(region_id=region_code, year=year)
        .annotate(
            satisfied=Count("ratings", filter=Q(ratings__rating=Rating.SATISFIED)),
        )
        .order_by("-satisfied", "reply_category", "sequence")[:limit]
    )


# "MY WORK": what waits for this user, as counts bounded like the lists'.

WORK_COUNT_LIMIT = 1000


def work_for(*, user) -> list[tuple[str, int, str]]:
    """(what, how many, the page's URL name) for each of the user's roles with
    suggestions waiting: one bounded count each."""
    scope = scope_of(user)
    counts = []
    if scope.is_committee:
        counts.append(
            (_("Suggestions waiting for the committee"), committee_inbox(user=user), "inbox")
        )
    if scope.unit_ids:
        own = SuggestionCoUnit.objects.filter(unit_id__in=scope.unit_ids, opinion_at__isnull=True)
        units = suggestion_list(user=user).filter(
            Q(lead_unit_id__in=scope.unit_ids) | Q(pk__in=own.values("suggestion_id")),
            step__in=WITH_UNIT,
        )
        counts.append((_("Suggestions my unit owes a reply or opinion"), units, "unit"))
    if scope.representative_id is not None:
        waiting = to_rate(user=user, representative_id=scope.representative_id)
        counts.append((_("Replies to my suggestions waiting for my rating"), waiting, "mine"))
    return [
        (label, queryset.order_by()[: WORK_COUNT_LIMIT + 1].count(), f"staff:suggestion-{page}")
        for label, queryset, page in counts
    ]
