"""Queries whose SQL is built once per process.

The ORM spends longer building some small queries than the database spends running
them: the UNION ALL of every role table that ``scope_of`` reads on each staff request
costs about a millisecond to compile and a tenth of that to run. A ``CompiledQuery``
builds its queryset once per database with a marker value, keeps the SQL, and
afterwards only puts the call's value where the marker was among the parameters.
"""

import contextlib
import datetime as dt
import re
from collections.abc import Callable

import psycopg
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import F, Model, QuerySet
from django.db.models.functions import JSONObject
from django.db.models.query import get_related_populators
from psycopg import postgres
from psycopg import sql as pg_sql
from psycopg.pq import Format

# An id no row has: it marks where the call's value goes among the parameters. One per
# width of integer column: the ORM finds a value outside a column's range matches nothing
# (``filter(pk=MARKER)`` on a 32-bit id raises EmptyResultSet, so builds no SQL).
MARKER = -7_317_391_713
MARKER_INT32 = -1_731_739_171
MARKER_INT16 = -31_713


def marker_for(field) -> int:
    """The marker for a value compared with ``field`` (a model field or its foreign key):
    one its column can hold."""
    target = getattr(field, "target_field", None) or field
    kind = target.get_internal_type()
    if kind in {"SmallIntegerField", "SmallAutoField", "PositiveSmallIntegerField"}:
        return MARKER_INT16
    if kind in {"IntegerField", "AutoField", "PositiveIntegerField"}:
        return MARKER_INT32
    return MARKER


# A placeholder or an escaped percent sign of the SQL the ORM builds.
_PLACEHOLDERS = re.compile(r"%s|%%")


def constants_written_in(sql: str, params, alias: str, keep=()) -> tuple[str, tuple]:
    """``sql`` with its text and boolean parameters written into it as literals, but for
    the values in ``keep`` (the markers): on PostgreSQL, for SQL built once for a key that
    decides those values.

    With them as parameters, PostgreSQL's plan for the prepared statement cannot know
    that ``step NOT IN ($1, $2, $3)`` is the open steps of the partial indexes, so its
    generic plan scans a unit's every case (100 ms at a million cases) and it plans the
    statement afresh on every call instead: 1.5 ms of the unit page's 2.4 in the
    database. Written in, the generic plan walks the partial index and is kept."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return sql, tuple(params)
    params = iter(params)
    kept = []
    connection.ensure_connection()

    def write(match):
        if match.group() == "%%":
            return "%%"
        value = next(params)
        if isinstance(value, bool | str) and value not in keep:
            plain = value if isinstance(value, bool) else str.__str__(value)
            literal = pg_sql.Literal(plain).as_string(connection.connection)
            return literal.replace("%", "%%")
        kept.append(value)
        return "%s"

    sql = _PLACEHOLDERS.sub(write, sql)
    return sql, tuple(kept)


class CompiledQuery:
    def __init__(self, model: type[Model], build: Callable, *, marker: int | str = MARKER):
        """``build(value)`` returns the queryset for ``value`` (an int, e.g. a user id, or
        a string with a ``marker`` of its own that no row has) reading ``model``; its rows
        must need no conversion from the database (text and numbers), since they come
        straight from the cursor."""
        self.model, self.build, self.marker = model, build, marker
        self._sql: dict[str, tuple[str, tuple]] = {}

    def forget(self) -> None:
        """Build the SQL again at the next call (what ``build`` reads has changed)."""
        self._sql.clear()

    def sql(self, alias: str) -> tuple[str, tuple]:
        """The SQL and its parameters on ``alias``, the marker among them."""
        if alias not in self._sql:
            compiler = self.build(self.marker).query.get_compiler(using=alias)
            sql, params = compiler.as_sql()
            self._sql[alias] = constants_written_in(sql, params, alias, keep=(self.marker,))
        return self._sql[alias]

    def rows(self, value: int | str) -> list[tuple]:
        alias = router.db_for_read(self.model) or "default"
        sql, params = self.sql(alias)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [value if p == self.marker else p for p in params])
            return cursor.fetchall()


class CompiledValues:
    """``values()`` querysets whose SQL is built once per key, for a query whose shape
    varies with a few things (whose scope, which page): ``rows(key, build, value)``
    builds ``build(MARKER)`` the first time it meets ``key`` and afterwards runs its SQL
    with ``value`` where the marker was, converting the columns as the ORM would.

    ``key`` must decide everything ``build`` puts in the query but the marker. At most
    ``size`` keys are kept (then it starts again), so that odd pages cannot fill memory."""

    def __init__(self, model: type[Model], *, size: int = 512, marker: int = MARKER):
        self.model, self.size, self.marker = model, size, marker
        self._sql: dict = {}

    def rows(self, key, build: Callable, value: int | None = None) -> list[dict]:
        alias = router.db_for_read(self.model) or "default"
        compiled = self._sql.get((alias, key))
        if compiled is None:
            compiled = self._keep(alias, key, _Compiled(build(self.marker), alias, self.marker))
        return compiled.rows(alias, value)

    def count(self, key, build: Callable) -> int:
        """``build().count()``, the SQL the ORM sends for it recorded the first time this
        process meets ``key`` (not run then either) and sent as it stands afterwards.
        ``key`` must decide the whole query: there is no marker."""
        alias = router.db_for_read(self.model) or "default"
        counted = self._sql.get((alias, key))
        if counted is None:
            counted = self._keep(alias, key, _Recorded(lambda: build().count(), alias))
        return counted.scalar(alias)

    def _keep(self, alias: str, key, compiled):
        if len(self._sql) >= self.size:
            self._sql.clear()
        self._sql[alias, key] = compiled
        return compiled


class _Recorded:
    """The one statement a call sends, recorded instead of sent (``execute_wrapper``); a
    call that sends none (the ORM found that nothing can match) keeps its answer."""

    class _Caught(Exception):
        pass

    def __init__(self, call: Callable, alias: str):
        recorded = []

        def record(execute, sql, params, many, context):
            recorded.append((sql, tuple(params or ())))
            raise self._Caught

        connection = connections[alias]
        logged = len(connection.queries_log)
        with connection.execute_wrapper(record), contextlib.suppress(self._Caught):
            self.answer = call()
        # Never sent, so no query of the debug log (DEBUG, the tests' query counts).
        while len(connection.queries_log) > logged:
            connection.queries_log.pop()
        self.sql, self.params = recorded[0] if recorded else (None, ())
        if self.sql is not None:
            self.sql, self.params = constants_written_in(self.sql, self.params, alias)

    def scalar(self, alias: str):
        if self.sql is None:
            return self.answer
        with connections[alias].cursor() as cursor:
            cursor.execute(self.sql, self.params)
            return cursor.fetchone()[0]


class _Compiled:
    def __init__(self, queryset, alias: str, marker: int = MARKER):
        query = queryset.query
        compiler = query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # nothing can match (e.g. a user without a scope): no query
            self.sql = None
            return
        self.marker = marker
        self.sql, self.params = constants_written_in(sql, params, alias, keep=(marker,))
        self.takes_value = marker in self.params
        # As ValuesIterable names a row's columns and results_iter converts them.
        self.names = list(query.selected or ())
        if not self.names:
            self.names = [*query.extra_select, *query.values_select, *query.annotation_select]
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(fields).items())

    def rows(self, alias: str, value) -> list[dict]:
        if self.sql is None:
            return []
        if self.takes_value != (value is not None):
            raise ValueError("The value and the query's marker do not match.")
        params = [value if p == self.marker else p for p in self.params]
        connection = connections[alias]
        with connection.cursor() as cursor:
            _native_timestamps(connection, cursor)
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        names = self.names
        if not self.converters:
            return [dict(zip(names, row, strict=True)) for row in rows]
        converted = []
        for row in rows:
            row = list(row)
            for at, (converters, expression) in self.converters:
                for convert in converters:
                    row[at] = convert(row[at], expression, connection)
            converted.append(dict(zip(names, row, strict=True)))
        return converted


def _native_timestamps(connection, cursor) -> None:
    """On PostgreSQL in UTC (Django's session time zone with USE_TZ), psycopg's own loader
    of timestamptz (in C with psycopg[binary]) reads the same aware datetimes as the one
    Django registers, a Python subclass that only sets the same UTC tzinfo again. The case
    list's page of 25 rows reads in 0.6 ms instead of 1.06."""
    if connection.vendor != "postgresql" or connection.timezone is not dt.UTC:
        return
    native = cursor.cursor
    if native.connection.info.timezone is dt.UTC:
        oid = postgres.types["timestamptz"].oid
        native.adapters.register_loader(oid, psycopg.adapters.get_loader(oid, Format.TEXT))


class CompiledModels:
    """Model querysets (``select_related`` joins and annotations included) whose SQL is
    built once per key, as ``CompiledValues`` does for ``values()``: ``get(key, build,
    value)`` runs ``build(marker)``'s SQL with ``value`` where the marker was and makes
    the instances the ORM's ModelIterable would (the related rows joined, the
    annotations set). For a page's one row, e.g. the case page's case in the user's
    scope, whose SQL took longer to build than the database took to run it.

    ``key`` must decide everything ``build`` puts in the query but the marker."""

    def __init__(self, model: type[Model], *, size: int = 512, marker: int | None = None):
        # The value is the model's id unless told otherwise: a marker its column holds.
        self.model, self.size = model, size
        self.marker = marker_for(model._meta.pk) if marker is None else marker
        self._sql: dict = {}

    def forget(self) -> None:
        """Build every key's SQL again (what ``build`` reads has changed)."""
        self._sql.clear()

    def get(self, key, build: Callable, value: int):
        """The first row's instance, or None."""
        alias = router.db_for_read(self.model) or "default"
        compiled = self._sql.get((alias, key))
        if compiled is None:
            if len(self._sql) >= self.size:
                self._sql.clear()
            compiled = _CompiledModels(build(self.marker), alias, self.marker)
            self._sql[alias, key] = compiled
        return compiled.first(alias, value)


class _CompiledModels:
    def __init__(self, queryset, alias: str, marker: int):
        self.marker = marker
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            self.sql = None
            return
        self.sql, self.params = constants_written_in(sql, params, alias, keep=(marker,))
        # As ModelIterable reads a row (compiler.select etc. are filled by as_sql).
        select, klass_info = compiler.select, compiler.klass_info
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, alias)
        self.annotations = list(compiler.annotation_col_map.items())
        self.converters = list(compiler.get_converters([c[0] for c in select]).items())

    def first(self, alias: str, value):
        if self.sql is None:
            return None
        params = [value if p == self.marker else p for p in self.params]
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for at, (converters, expression) in self.converters:
            for convert in converters:
                row[at] = convert(row[at], expression, connection)
        obj = self.model.from_db(alias, self.init_list, row[self.start : self.end])
        for populator in self.populators:
            populator.populate(row, obj)
        for name, at in self.annotations:
            setattr(obj, name, row[at])
        return obj


# Related rows read as subqueries of a page's one statement (PostgreSQL), and the
# instances made of them: the case page's co-units, ratings, history, visit and files.


def json_array(queryset: QuerySet, fields, **names) -> ArraySubquery:
    """``queryset``'s rows as an array of JSON objects: ``fields`` by their names, and
    ``names`` (name: expression) beside them; in the queryset's order."""
    pairs = {name: F(name) for name in fields}
    return ArraySubquery(queryset.values(json=JSONObject(**pairs, **names)))


def instance_from_json(model: type[Model], alias: str, row: dict) -> Model:
    """A model instance from a JSON row (``json_array``'s), with the fields the row holds
    (``from_db`` takes the values in the model's order; any other field is read when first
    asked for); its date-times come as ISO text."""
    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.attname in row:
            value = row[field.attname]
            if isinstance(value, str) and field.get_internal_type() == "DateTimeField":
                value = dt.datetime.fromisoformat(value)
            names.append(field.attname)
            values.append(value)
    return model.from_db(alias, names, values)
