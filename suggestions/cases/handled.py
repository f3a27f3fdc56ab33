"""A unit's cases read as two ordered, limited halves (the unit page and the unit's API).

``Case.objects.filter(pk__in=led UNION co-handled)`` makes PostgreSQL collect every case
of the unit before it can sort them: about 20,000 rows for a busy county bureau at a
million cases, spread over as many heap pages. Here the filters and the order go into
each half and each half stops at the rows the page needs (offset + page size), so the
lead half walks ``case_unit_open_deadline_idx`` (or ``case_lead_unit_id_idx`` newest
first) and stops; the merge then orders at most two pages' worth of ids.
"""

from django.db.models import QuerySet

from suggestions.cases.models import CaseCoUnit

CO_HANDLED_FENCE = 2**31 - 1


class HandledByUnits:
    """The cases some units lead or co-handle, as Django's Paginator and DRF's cursor
    pagination use a QuerySet (``order_by``, ``filter``, ``count``, slicing); slicing builds
    the two halves. Filters go to the (unscoped) cases through ``narrowed``.

    The units' condition is only ever added when the halves are built, so nothing
    fetched through this object can come from outside the units."""

    def __init__(self, cases: QuerySet, unit_ids):
        self.cases = cases
        self.unit_ids = sorted(unit_ids)
        self.model = cases.model

    def narrowed(self, narrow) -> "HandledByUnits":
        """The same units' cases, with ``narrow`` (a FilterSet's work) applied to them."""
        return HandledByUnits(narrow(self.cases), self.unit_ids)

    def filter(self, *args, **kwargs) -> "HandledByUnits":
        return self.narrowed(lambda cases: cases.filter(*args, **kwargs))

    def order_by(self, *fields) -> "HandledByUnits":
        return self.narrowed(lambda cases: cases.order_by(*fields))

    @property
    def ordered(self) -> bool:
        return self.cases.ordered

    def halves(self, limit: int | None) -> QuerySet:
        """The ids of the first ``limit`` led and the first ``limit`` co-handled cases, in
        the list's order, as one UNION."""
        # The LIMIT (never reached) keeps PostgreSQL from folding the co-unit rows into a
        # semi-join, which it may then run by walking every open case in deadline order and
        # probing the co-unit table for each (1.6 s at a million cases): this way it reads
        # the unit's co-unit rows through case_co_unit_unit_idx first, then those cases.
        co_handled = CaseCoUnit.objects.filter(unit_id__in=self.unit_ids).values("case_id")
        co_handled = co_handled[:CO_HANDLED_FENCE]
        led = self.cases.filter(lead_unit_id__in=self.unit_ids)
        co = self.cases.filter(pk__in=co_handled)
        led, co = (half.values("pk") for half in (led, co))
        if limit is not None:
            led, co = led[:limit], co[:limit]
        return led.union(co)

    def __getitem__(self, item):
        if isinstance(item, int):
            return self[item : item + 1][0]
        return self.cases.filter(pk__in=self.halves(item.stop))[item]

    def __iter__(self):
        return iter(self.cases.filter(pk__in=self.halves(None)))

    def __len__(self):
        return self.count()

    def count(self) -> int:
        return self.cases.filter(pk__in=self.halves(None)).count()
