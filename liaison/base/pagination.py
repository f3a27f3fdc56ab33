from rest_framework.pagination import CursorPagination


class NewestFirst(CursorPagination):
    """Keyset pages, newest first: no COUNT(*) over a large table, stable while rows arrive."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 100
