"""Walking a large table in locked batches, for jobs that rewrite derived columns."""

from collections.abc import Callable

from django.db import transaction
from django.db.models import Q, QuerySet


def in_locked_batches(
    rows: QuerySet, *, order: str, batch_size: int, handle: Callable[[list], int]
) -> int:
    """Call ``handle`` on ``rows`` in pages ordered by ``order`` and id, each page locked
    (``FOR UPDATE``, waiting for a move that holds a row) in a transaction of its own;
    returns the sum of what ``handle`` returned.

    Keyset pages (after the last (order, id) seen) cost the same on the last page as on
    the first, and a row that ``handle`` changes is never seen twice.
    """
    total, after = 0, None
    while True:
        page = rows
        if after is not None:
            page = page.filter(
                Q(**{f"{order}__gt": after[0]}) | Q(**{order: after[0], "pk__gt": after[1]})
            )
        with transaction.atomic():
            batch = list(page.select_for_update(of=("self",)).order_by(order, "pk")[:batch_size])
            if not batch:
                return total
            total += handle(batch)
        after = (getattr(batch[-1], order), batch[-1].pk)
