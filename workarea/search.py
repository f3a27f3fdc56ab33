"""The header's one search box: cases and representative suggestions within the user's
scope, by tracking code, suggestion number, keyword, or the constituent's phone or name
(the rules: suggestions/cases/search.py, suggestions/proposals/search.py)."""

from dataclasses import dataclass

from django.urls import reverse

from stations.scopes import visits_visible_to
from suggestions.cases.search import cases_matching, person_searched
from suggestions.cases.selectors import case_list
from suggestions.proposals.scopes import suggestions_visible_to
from suggestions.proposals.search import suggestions_matching

RESULTS = 20


@dataclass
class Found:
    query: str
    cases: list
    suggestions: list
    # "phone" or "name" when cases were found by a constituent's phone or name: a read of
    # personal data, which the view audits.
    person: str = ""

    @property
    def only_url(self) -> str | None:
        """The one thing found, when a code or number named exactly one."""
        if len(self.cases) + len(self.suggestions) != 1:
            return None
        return (self.cases or self.suggestions)[0].staff_url


def search(*, user, query: str) -> Found:
    query = (query or "").strip()[:100]
    if not query:
        return Found(query="", cases=[], suggestions=[])
    visits = visits_visible_to(user)
    cases = cases_matching(case_list(user=user), visits, query)
    suggestions = suggestions_matching(
        suggestions_visible_to(user).select_related("lead_unit"), query
    )
    found = Found(
        query=query,
        cases=list(cases.order_by("-received_at", "-id")[:RESULTS]),
        suggestions=list(suggestions.order_by("-year", "-sequence")[:RESULTS]),
    )
    if found.cases:
        found.person = _person(visits, query, [case.visit_id for case in found.cases])
    for case in found.cases:
        case.staff_url = reverse("staff:case-detail", args=[case.pk])
    for suggestion in found.suggestions:
        suggestion.staff_url = reverse("staff:suggestion-detail", args=[suggestion.pk])
    return found


def _person(visits, query: str, visit_ids: list[int]) -> str:
    return person_searched(visits.filter(pk__in=visit_ids), query)
