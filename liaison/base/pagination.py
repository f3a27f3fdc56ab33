from django.db import connections, router
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

from liaison.base.compiled import CompiledValues


class NewestFirst(CursorPagination):
    """Keyset pages, newest first: no COUNT(*) over a large table, stable while rows arrive."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request):
        """DRF's, with a position that is no whole number refused as a bad cursor (404)
        instead of failing in the query (500)."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                int(cursor.position)
            except ValueError:
                raise NotFound(self.invalid_cursor_message) from None
        return cursor


class CompiledKeyset:
    """Rows as the cursor pagination reads a queryset — ``order_by``, a filter on the
    position (``id__lt``), a slice — each page's SQL built once per ``key`` and page
    shape (``CompiledValues``), only the position put in on each request.

    ``build(order, where, page)`` returns the values queryset of that page (``where``:
    the position's lookup and value, or nothing); ``key`` must decide everything else in
    it. A position the database's integers cannot hold goes to the ORM, which knows it
    matches all or nothing."""

    def __init__(self, pages: CompiledValues, key, build, order=(), where=None):
        self.pages, self.key, self.build = pages, key, build
        self.model = pages.model
        self.order, self.where = tuple(order), where

    def order_by(self, *order) -> "CompiledKeyset":
        return CompiledKeyset(self.pages, self.key, self.build, order, self.where)

    def filter(self, **where) -> "CompiledKeyset":
        ((lookup, value),) = where.items()
        # The same check and error as the ORM's for a position that is not a number.
        value = self.model._meta.get_field(lookup.split("__")[0]).get_prep_value(value)
        return CompiledKeyset(self.pages, self.key, self.build, self.order, (lookup, value))

    def __getitem__(self, page: slice) -> list[dict]:
        lookup, value = self.where or (None, None)
        if value is not None and not self._holds(lookup, value):
            return list(self.build(self.order, {lookup: value}, page))
        shape = (self.key, self.order, lookup, page.start, page.stop)
        return self.pages.rows(
            shape,
            lambda marker: self.build(self.order, {lookup: marker} if lookup else {}, page),
            value,
        )

    def _holds(self, lookup: str, value) -> bool:
        field = self.model._meta.get_field(lookup.split("__")[0])
        if not isinstance(value, int):
            return True
        connection = connections[router.db_for_read(self.model) or "default"]
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        return (low is None or low <= value) and (high is None or value <= high)
