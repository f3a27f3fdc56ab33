"""Staff lists: filter with the API's filterset, sort from a whitelist, page with a bounded count."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 50
# A list never counts past this many rows: "10000+" is all a person needs to know.
COUNT_LIMIT = 10_000


class BoundedPaginator(Paginator):
    """COUNT(*) over at most ``COUNT_LIMIT`` rows (a LIMIT inside the count), never the table."""

    @cached_property
    def count(self) -> int:
        # A list read in parts (suggestions/cases/handled.py) counts its own way.
        count_up_to = getattr(self.object_list, "count_up_to", None)
        if count_up_to is not None:
            return count_up_to(COUNT_LIMIT + 1)
        # No ORDER BY: any COUNT_LIMIT + 1 rows will do, the cheapest the planner finds.
        return self.object_list.order_by()[: COUNT_LIMIT + 1].count()

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
    page = BoundedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return ListPage(filter=filterset, page=page, sort=sort, sorts=sorts)
