"""A unit's cases read as two ordered, limited halves (the unit page and the unit's API).

``Case.objects.filter(pk__in=led UNION co-handled)`` makes PostgreSQL collect every case
of the unit before it can sort them: about 20,000 rows for a busy county bureau at a
million cases, spread over as many heap pages. Here the filters and the order go into
each half and each half stops at the rows the page needs (offset + page size): the lead
half walks ``case_unit_open_deadline_idx`` (or ``case_lead_unit_id_idx`` newest first),
the co-unit half the unit's co-unit rows in the same order — by the deadline they copy
(``case_co_unit_deadline_idx``) or by case id (``case_co_unit_unit_idx``) — joining each
to its case; the merge then orders at most two pages' worth of ids.

Building that SQL (two halves and their UNION, the count's UNION ALL) costs the ORM
several times what PostgreSQL spends running it. A list whose every step is known in
advance (the unit page when the query asks no filter: ``compiled``) builds it once per
process and key, and afterwards only sends it.
"""

import functools

from django.db import connections
from django.db.models import Q, QuerySet

from suggestions.cases.models import Case, CaseCoUnit

CO_HANDLED_FENCE = 2**31 - 1

# The case's order keys the co-unit rows hold too: the copied deadline, the case's id.
ON_CO_UNIT = {
    "deadline": "casecounit__deadline",
    "id": "casecounit__case_id",
    "pk": "casecounit__case_id",
}


def _on_co_unit(key):
    if not isinstance(key, str):
        return key
    name = key.removeprefix("-")
    return key.replace(name, ON_CO_UNIT[name]) if name in ON_CO_UNIT else key


class HandledByUnits:
    """The cases some units lead or co-handle, as Django's Paginator and DRF's cursor
    pagination use a QuerySet (``order_by``, ``filter``, ``count``, slicing); slicing builds
    the two halves. Filters go to the (unscoped) cases through ``narrowed``.

    The units' condition is only ever added when the halves are built, so nothing
    fetched through this object can come from outside the units."""

    def __init__(self, cases: QuerySet, unit_ids, read=None, *, compiled=None, steps=()):
        self._cases = cases
        self.unit_ids = sorted(unit_ids)
        # Not ``cases.model``: ``cases`` may be a lazy object that the compiled road never
        # builds (``selectors.handled_by_units``).
        self.model = Case
        self.read = read
        # On the compiled road: (CompiledValues, key), and the steps on the cases that the
        # key names, applied only when the SQL is built (``compiled``).
        self._compiled, self._steps = compiled, steps
        self._ordered = None  # whether the last order_by named fields, if any came

    @functools.cached_property
    def cases(self) -> QuerySet:
        return functools.reduce(lambda cases, step: step(cases), self._steps, self._cases)

    def compiled(self, store, key) -> "HandledByUnits":
        """The same list, its count and its pages' rows read by SQL built once per process
        (in ``store``, a ``CompiledValues``) for each ``key`` and the order, ``read`` and
        page asked of it. ``key`` must name the units and what every ``narrowed`` this
        list will be given does (e.g. "the unit page's filterset when the query asks no
        filter"): the narrowings are applied only to build the SQL. ``filter``, whose
        arguments are in no key, leaves the road."""
        return HandledByUnits(self.cases, self.unit_ids, self.read, compiled=(store, key))

    def _then(self, name, step=None, read=None) -> "HandledByUnits":
        """This list with ``step`` on its cases (or another ``read``), ``name`` its part
        of the key (None: off the compiled road)."""
        read = self.read if read is None else read
        if self._compiled is None or name is None:
            cases = self.cases if step is None else step(self.cases)
            return HandledByUnits(cases, self.unit_ids, read)
        store, key = self._compiled
        steps = self._steps if step is None else (*self._steps, step)
        then = HandledByUnits(
            self._cases, self.unit_ids, read, compiled=(store, (*key, name)), steps=steps
        )
        then._ordered = self._ordered
        return then

    def narrowed(self, narrow) -> "HandledByUnits":
        """The same units' cases, with ``narrow`` (a FilterSet's work) applied to them."""
        return self._then("narrowed", narrow)

    def read_as(self, read) -> "HandledByUnits":
        """The same cases, each slice fetched through ``read`` (``selectors.row_values``:
        dicts instead of instances), once the halves have picked its ids."""
        return self._then(("read", read), read=read)

    def filter(self, *args, **kwargs) -> "HandledByUnits":
        return self._then(None, lambda cases: cases.filter(*args, **kwargs))

    def order_by(self, *fields) -> "HandledByUnits":
        name = ("order", fields)
        try:
            hash(name)
        except TypeError:  # an expression that cannot be in a key: the ORM's road
            name = None
        ordered = self._then(name, lambda cases: cases.order_by(*fields))
        ordered._ordered = bool(fields)
        return ordered

    @property
    def ordered(self) -> bool:
        # Asked by the Paginator of every page: known without applying the steps.
        if self._ordered is not None and "cases" not in self.__dict__:
            return self._ordered
        return self.cases.ordered

    def halves(self, limit: int | None) -> QuerySet:
        """The ids of the first ``limit`` led and the first ``limit`` co-handled cases, in
        the list's order, as one UNION."""
        led = self.cases.filter(lead_unit_id__in=self.unit_ids)
        led, co = (half.values("pk") for half in (led, self._co_handled()))
        if limit is None:
            return led.union(co)
        led, co = led[:limit], co[:limit]
        if not self._db.features.supports_slicing_ordering_in_compound:
            # SQLite takes no LIMIT in the parts of a UNION: each half as an IN list.
            return self.model.objects.filter(Q(pk__in=led) | Q(pk__in=co)).values("pk")
        return led.union(co)

    @property
    def _db(self):
        return connections[self.cases.db]

    def _co_handled(self) -> QuerySet:
        if len(self.unit_ids) == 1 and self._db.vendor == "postgresql":
            # One unit's co-unit rows in the list's order (each row is one case of it):
            # a walk of its index that stops after the page, joining each row's case.
            co = self.cases.filter(casecounit__unit_id=self.unit_ids[0])
            query = self.cases.query
            order = query.order_by or (self.model._meta.ordering if query.default_ordering else ())
            return co.order_by(*(_on_co_unit(key) for key in order))
        # The LIMIT (never reached) keeps PostgreSQL from folding the co-unit rows into a
        # semi-join, which it may then run by walking every open case in deadline order and
        # probing the co-unit table for each (1.6 s at a million cases): this way it reads
        # the units' co-unit rows through case_co_unit_unit_idx first, then those cases.
        co_handled = CaseCoUnit.objects.filter(unit_id__in=self.unit_ids).values("case_id")
        return self.cases.filter(pk__in=co_handled[:CO_HANDLED_FENCE])

    def __getitem__(self, item):
        if isinstance(item, int):
            return self[item : item + 1][0]
        if self._compiled is not None and self.read is not None:
            store, key = self._compiled
            return store.rows((*key, "page", item.start, item.stop), lambda _: self._page(item))
        if self._compiled is not None:
            # Django's Paginator slices the list before anyone reads it: the page waits
            # to be read as values (``CompiledPage.read_as``) or as cases.
            return CompiledPage(self, item)
        return self._page(item)

    def _page(self, item: slice) -> QuerySet:
        return self._read(self.cases.filter(pk__in=self.halves(item.stop))[item])

    def __iter__(self):
        return iter(self._read(self.cases.filter(pk__in=self.halves(None))))

    def _read(self, cases: QuerySet) -> QuerySet:
        return cases if self.read is None else self.read(cases)

    def __len__(self):
        return self.count()

    def count(self) -> int:
        return self.cases.filter(pk__in=self.halves(None)).count()

    def count_up_to(self, limit: int) -> int:
        """How many cases, counting no further than ``limit``, in no order and without
        reading the cases again by id: the led ones, then the co-handled ones led by
        other units (the rest were counted with the led), each as the index gives them,
        until ``limit`` — a busy unit's count stops inside its lead half."""
        if self._compiled is not None:
            store, key = self._compiled
            return store.count((*key, "count", limit), lambda: self._counted(limit))
        return self._counted(limit).count()

    def _counted(self, limit: int) -> QuerySet:
        unordered = HandledByUnits(self.cases.order_by(), self.unit_ids)
        led = unordered.cases.filter(lead_unit_id__in=self.unit_ids).values("pk")
        co = unordered._co_handled().exclude(lead_unit_id__in=self.unit_ids).values("pk")
        return led.union(co, all=True)[:limit]


class CompiledPage:
    """A slice of a compiled ``HandledByUnits``, read when asked: ``read_as(read)`` gives
    its rows as ``read`` makes them, by SQL built once; iterated, its cases (the ORM)."""

    def __init__(self, units: HandledByUnits, item: slice):
        self.units, self.item = units, item

    def read_as(self, read) -> list:
        return self.units.read_as(read)[self.item]

    @functools.cached_property
    def _cases(self) -> list:
        return list(self.units._page(self.item))

    def __iter__(self):
        return iter(self._cases)

    def __len__(self):
        return len(self._cases)

    def __getitem__(self, index):
        return self._cases[index]
