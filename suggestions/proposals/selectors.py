"""Reads of suggestions: scoped for staff, published-only for the public, and a
constant number of queries whatever the page size."""

import datetime as dt

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from liaison.scopes import suggestions_visible_to
from suggestions.proposals.models import (
    Rating,
    Suggestion,
    SuggestionCoUnit,
    SuggestionEvent,
    SuggestionRating,
    SuggestionReply,
    SuggestionSigner,
    SuggestionStep,
)

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
    return queryset.filter(
        Q(lead_unit_id=unit_id)
        | Q(pk__in=SuggestionCoUnit.objects.filter(unit_id=unit_id).values("suggestion_id"))
    )


def signed_by(queryset: QuerySet[Suggestion], *, representative_id: int) -> QuerySet[Suggestion]:
    return queryset.filter(
        pk__in=SuggestionSigner.objects.filter(representative_id=representative_id).values(
            "suggestion_id"
        )
    )


def overdue(queryset: QuerySet[Suggestion], *, today: dt.date | None = None):
    return queryset.open().filter(deadline__lt=today or timezone.localdate())


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
