"""Staff lists: filter with the API's filterset, sort from a whitelist, page with a bounded count."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 50
# A list never counts past this many rows: "10000+" is all a person needs to know.
COUNT_LIMIT = 10_000
# How long a list found over the limit is taken to stay over it without counting again.
CAPPED_SECONDS = 60


class BoundedPaginator(Paginator):
    """COUNT(*) over at most ``COUNT_LIMIT`` rows (a LIMIT inside the count), never the table.

    A count that reached the limit read ``COUNT_LIMIT + 1`` rows to say "more than
    10,000". Given a ``capped_key`` (what names the list: its user, page and filters),
    such a list is taken to stay over the limit for ``CAPPED_SECONDS`` without counting
    again: a list that large does not shrink under it by hand in a minute. Counts under
    the limit are always exact."""

    def __init__(self, *args, capped_key: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.capped_key = capped_key

    @cached_property
    def count(self) -> int:
        if self.capped_key and cache.get(self.capped_key):
            return COUNT_LIMIT + 1
        # A list read in parts (suggestions/cases/handled.py) counts its own way.
        count_up_to = getattr(self.object_list, "count_up_to", None)
        if count_up_to is not None:
            count = count_up_to(COUNT_LIMIT + 1)
        else:
            # No ORDER BY: any COUNT_LIMIT + 1 rows will do, the cheapest the planner finds.
            count = self.object_list.order_by()[: COUNT_LIMIT + 1].count()
        if self.capped_key and count > COUNT_LIMIT:
            cache.set(self.capped_key, True, CAPPED_SECONDS)
        return count

    @property
    def capped(self) -> bool:
        return self.count > COUNT_LIMIT


@dataclass
class ListPage:
    filter: object
    page: object
    sort: str
    sorts: dict


def list_page(request, queryset, *, filterset_class=None, sorts: dict, default: str) -> ListPage:
    """Filtered (an invalid filter shows its error and filters nothing), sorted, one page."""
    filterset = None
    if filterset_class is not None:
        # A queryset-like list (suggestions/cases/handled.py) is filtered through the
        # QuerySet it wraps, which is what a FilterSet works on.
        narrowed = getattr(queryset, "narrowed", None)
        cases = queryset.cases if narrowed else queryset
        filterset = filterset_class(request.GET or None, queryset=cases, request=request)
        if filterset.is_bound and filterset.is_valid():
            queryset = narrowed(lambda _cases: filterset.qs) if narrowed else filterset.qs
    sort = request.GET.get("sort", default)
    if sort not in sorts:
        sort = default
    queryset = queryset.order_by(*sorts[sort][1])
    paginator = BoundedPaginator(queryset, PAGE_SIZE, capped_key=_capped_key(request))
    page = paginator.get_page(request.GET.get("page"))
    return ListPage(filter=filterset, page=page, sort=sort, sorts=sorts)


def _capped_key(request) -> str:
    """The list a request shows: whose (their scope), which page of the site, which
    filters (the query without its page number and sort)."""
    asked = sorted((k, v) for k, v in request.GET.lists() if k not in {"page", "sort"})
    digest = hashlib.blake2b(repr((request.path, asked)).encode(), digest_size=16).hexdigest()
    return f"capped:{request.user.pk}:{digest}"
