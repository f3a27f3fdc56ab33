"""Finding a case by what a clerk has at hand: its tracking code, a keyword of its title
or text, or the constituent's phone (whole or its last digits) or name.

The phone and the name are looked up among the visits the user may see
(``visits_visible_to``): a handling unit, which never sees constituents' data, cannot
find a case by them. On PostgreSQL the keyword and phone conditions run on pg_trgm
indexes (workarea/migrations/0002_search_indexes.py), Chinese included; SQLite does
the same filter without them.
"""

import re
import unicodedata

from django.db.models import Q, QuerySet

from liaison.base.audit import audit_read
from liaison.base.validators import normalize_phone
from stations.scopes import visits_visible_to
from suggestions.cases.models import Case
from suggestions.cases.tracking import CODE_REGEX

# Visits a name or a phone may match before the cases are looked up: a clerk who
# typed four digits wants the few recent ones, not every such number in the county.
VISIT_MATCHES = 200
CODE_CHARS = re.compile(r"[^0-9A-Z]")


def as_tracking_code(query: str) -> str | None:
    """The tracking code in what was typed (any case, with or without dashes), or None."""
    bare = CODE_CHARS.sub("", unicodedata.normalize("NFKC", query).upper())
    if len(bare) != 10:
        return None
    code = f"{bare[:4]}-{bare[4:8]}-{bare[8:]}"
    return code if re.match(CODE_REGEX, code) else None


def as_phone(query: str) -> str | None:
    """Digits of a phone (4 to 12 of them, as people write them), or None."""
    phone = normalize_phone(query).replace("-", "")
    return phone if phone.isdigit() and 4 <= len(phone) <= 12 else None


def cases_matching(cases: QuerySet[Case], visits: QuerySet, query: str) -> QuerySet[Case]:
    """``cases`` (already in scope) that match ``query``; ``visits`` are the user's visits."""
    query = unicodedata.normalize("NFKC", query or "").strip()
    if not query:
        return cases
    code = as_tracking_code(query)
    if code is not None:
        return cases.filter(tracking_code=code)
    phone = as_phone(query)
    if phone is not None:
        lookup = "constituent_phone" if len(phone) >= 11 else "constituent_phone__endswith"
        return cases.filter(visit_id__in=_visit_ids(visits.filter(**{lookup: phone})))
    condition = Q(title__icontains=query) | Q(description__icontains=query)
    named = _visit_ids(visits.filter(constituent_name=query))
    if named:
        condition |= Q(visit_id__in=named)
    return cases.filter(condition)


def person_searched(visits: QuerySet, query: str) -> str:
    """ "phone" or "name" when ``query`` looks a constituent up among ``visits`` (a read of
    personal data by another door, which the caller audits), else ""."""
    query = unicodedata.normalize("NFKC", query or "").strip()
    if not query or as_tracking_code(query) is not None:
        return ""
    if as_phone(query) is not None:
        return "phone"
    if visits.filter(constituent_name=query).exists():
        return "name"
    return ""


def audit_person_search(request, case_ids: list[int], *, where: str) -> None:
    """Audits a list of cases found by a constituent's phone or name (``where``: which
    list), as the header's search and the desk's phone lookup are audited."""
    # Most lists are not searched at all: no visits' queryset built for them.
    if not case_ids or not request.GET.get("q", "").strip():
        return
    person = person_searched(visits_visible_to(request.user), request.GET.get("q", ""))
    if person:
        audit_read(
            request,
            object_type="suggestions.case",
            object_id=case_ids,
            detail=f"{where} by {person}",
        )


def _visit_ids(visits: QuerySet) -> list[int]:
    # A list, not a subquery: the planner then ORs index scans of case.visit_id.
    return list(visits.order_by("-visited_at").values_list("pk", flat=True)[:VISIT_MATCHES])
