"""Staff lists: filter with the API's filterset, sort from a whitelist, page with a bounded count."""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.functional import SimpleLazyObject, cached_property

from liaison.base.filtering import filters_asked

PAGE_SIZE = 50
# A list never counts past this many rows: "10000+" is all a person needs to know.
COUNT_LIMIT = 10_000
# How long a list found over the limit is taken to stay over it without counting again.
CAPPED_SECONDS = 60


# Lists found over the limit, until when each is taken to stay over it, in this process:
# each worker counts such a list once a minute, without a round trip to the cache on every
# page of it. Bounded.
_capped_until: dict[str, float] = {}
_CAPPED_MAX = 4096


class BoundedPaginator(Paginator):
    """COUNT(*) over at most ``COUNT_LIMIT`` rows (a LIMIT inside the count), never the table.

    A count that reached the limit read ``COUNT_LIMIT + 1`` rows to say "more than
    10,000". Given a ``capped_key`` (what names the list: its user, page and filters),
    such a list is taken to stay over the limit for ``CAPPED_SECONDS`` without counting
    again (by each process): a list that large does not shrink under it by hand in a
    minute. Counts under the limit are always exact."""

    def __init__(self, *args, capped_key: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.capped_key = capped_key

    @cached_property
    def count(self) -> int:
        if self.capped_key and _capped_until.get(self.capped_key, 0) > time.monotonic():
            return COUNT_LIMIT + 1
        # A list read in parts (suggestions/cases/handled.py) counts its own way.
        count_up_to = getattr(self.object_list, "count_up_to", None)
        if count_up_to is not None:
            count = count_up_to(COUNT_LIMIT + 1)
        else:
            # No ORDER BY: any COUNT_LIMIT + 1 rows will do, the cheapest the planner finds.
            count = self.object_list.order_by()[: COUNT_LIMIT + 1].count()
        if self.capped_key and count > COUNT_LIMIT:
            if len(_capped_until) >= _CAPPED_MAX:
                _capped_until.clear()
            _capped_until[self.capped_key] = time.monotonic() + CAPPED_SECONDS
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


@dataclass(frozen=True)
class Unfiltered:
    """How a list reads itself when the query asks no filter, without its queryset: its
    rows counted no further than a limit (``count_up_to(limit)``) and one page of them in
    an order (``rows(order, start, stop)``), each by SQL built once (``CompiledValues``).
    The ORM spent longer building a list's scoped queryset than the rest of the view."""

    count_up_to: Callable[[int], int]
    rows: Callable[[tuple, int, int], list]


class _Unbuilt:
    """A list read through its ``Unfiltered``, as the paginator reads a queryset: a slice
    is its page's rows."""

    ordered = True

    def __init__(self, unfiltered: Unfiltered, order: tuple):
        self.unfiltered, self.order = unfiltered, order

    def count_up_to(self, limit: int) -> int:
        return self.unfiltered.count_up_to(limit)

    def __getitem__(self, window: slice) -> list:
        return self.unfiltered.rows(self.order, window.start, window.stop)


def list_page(
    request,
    queryset,
    *,
    filterset_class=None,
    sorts: dict,
    default: str,
    unfiltered: Unfiltered | None = None,
) -> ListPage:
    """Filtered (an invalid filter shows its error and filters nothing), sorted, one page.

    Given ``unfiltered``, a query that names no filter of ``filterset_class`` (none at all,
    or only ``sort`` and ``page``) reads the list through it, and ``queryset`` may be a
    function that builds the queryset: it is built only if something reads it (a filter
    asked, the filter form rendered afresh). The page's rows are then ``unfiltered``'s."""
    sort = request.GET.get("sort", default)
    if sort not in sorts:
        sort = default
    order = sorts[sort][1]
    asked = filterset_class is not None and filters_asked(filterset_class, request.GET)
    if unfiltered is not None and not asked:
        filterset = None
        if filterset_class is not None:
            lazy = SimpleLazyObject(queryset) if callable(queryset) else queryset
            filterset = filterset_class(request.GET or None, queryset=lazy, request=request)
        object_list = _Unbuilt(unfiltered, order)
    else:
        if callable(queryset):
            queryset = queryset()
        filterset = None
        if filterset_class is not None:
            # A queryset-like list (suggestions/cases/handled.py) is filtered through the
            # QuerySet it wraps, which is what a FilterSet works on.
            narrowed = getattr(queryset, "narrowed", None)
            cases = queryset.cases if narrowed else queryset
            filterset = filterset_class(request.GET or None, queryset=cases, request=request)
            if filterset.is_bound and filterset.is_valid():
                queryset = narrowed(lambda _cases: filterset.qs) if narrowed else filterset.qs
        object_list = queryset.order_by(*order)
    paginator = BoundedPaginator(object_list, PAGE_SIZE, capped_key=_capped_key(request))
    page = paginator.get_page(request.GET.get("page"))
    return ListPage(filter=filterset, page=page, sort=sort, sorts=sorts)


def _capped_key(request) -> str:
    """The list a request shows: whose (their scope), which page of the site, which
    filters (the query without its page number and sort)."""
    asked = sorted((k, v) for k, v in request.GET.lists() if k not in {"page", "sort"})
    digest = hashlib.blake2b(repr((request.path, asked)).encode(), digest_size=16).hexdigest()
    return f"capped:{request.user.pk}:{digest}"
