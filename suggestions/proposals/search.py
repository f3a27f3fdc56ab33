"""Finding a representative suggestion by its number (2026-0012) or a keyword of its
title or text (pg_trgm indexes on PostgreSQL: workarea/migrations/0002_search_indexes.py)."""

import re
import unicodedata

from django.db.models import Q, QuerySet

from suggestions.proposals.models import Suggestion

NUMBER_RE = re.compile(r"^(\d{4})\s*[-－—]\s*0*(\d{1,6})$")


def suggestions_matching(suggestions: QuerySet[Suggestion], query: str) -> QuerySet[Suggestion]:
    query = unicodedata.normalize("NFKC", query or "").strip()
    if not query:
        return suggestions
    number = NUMBER_RE.match(query)
    if number:
        return suggestions.filter(year=int(number[1]), sequence=int(number[2]))
    return suggestions.filter(Q(title__icontains=query) | Q(content__icontains=query))
