"""The signed-in user, read on every staff request with SQL built once per process.

Django's ``ModelBackend`` builds the same one-row SELECT through the ORM on every request
(AuthenticationMiddleware asks for the user of the session), at several times the cost
of running it. ``UserBackend`` is ``ModelBackend`` (passwords, permissions, active
users only) with that read a ``CompiledQuery``. (A session names the
backend that logged it in: those made before this one was installed name ModelBackend,
which is no longer listed, and log in once more.)

What other modules read of the signed-in user on every request (the roles, the header's
unread count, the case lists' categories, the unit page's unit names) comes in the same
query: each registers a one-value subquery by name (``read_with_user``), and finds its
value on the user of the request (``read_with``). On PostgreSQL the session store's read
brings that query along, joined on the session's user id (``session_with_user``): a
staff request's session, user and all of these are one round trip."""

import functools
import json
import re
from collections.abc import Callable
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.core.signals import request_started
from django.db import connections, router
from django.db.models import TextField
from django.db.models.expressions import RawSQL

from liaison.base.compiled import CompiledQuery, marker_for


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:  # a session's id that is no id: nobody
            return None
        alias = router.db_for_read(model) or "default"
        # SQLite returns dates as text for the ORM's converters to parse: the ORM reads them.
        if connections[alias].vendor != "postgresql":
            return super().get_user(pk)
        row = _read_with_session(pk)
        if row is _NOT_WITH_SESSION:
            found = _by_pk(model).rows(pk)
            row = found[0] if found else None
        if row is None:
            return None
        names = _field_names(model)
        user = model.from_db(alias, names, row[: len(names)])
        user._read_with = dict(zip(_WITH_USER, row[len(names) :], strict=True))
        return user if self.user_can_authenticate(user) else None


# name -> build(user id): an expression of one value (a subquery) read with the user.
_WITH_USER: dict[str, Callable] = {}
NOT_READ = object()


def read_with_user(name: str, build: Callable) -> None:
    """Read ``build(user_id)`` (an expression of one value, e.g. a ``Subquery``) in the
    query of the user of each request (called from ``AppConfig.ready``)."""
    _WITH_USER[name] = build
    forget()


def read_with(user, name: str):
    """The value read with the request's user under ``name``, or ``NOT_READ`` (a user not
    read by this backend: another database, a test's own object, an API token)."""
    return getattr(user, "_read_with", {}).get(name, NOT_READ)


def forget_read_with(user, name: str) -> None:
    """The value has changed in this request: the next ``read_with`` reads afresh."""
    getattr(user, "_read_with", {}).pop(name, None)


def json_rows(queryset) -> RawSQL:
    """``queryset``'s rows as one JSON text (an array of objects, each row's values in the
    queryset's column order, ``rows_of`` reads them back): a list read with the user."""
    sql, params = queryset.query.sql_with_params()
    # The ORM's SQL, its values as parameters: nothing of the input in it.
    rows = f"(SELECT json_agg(r)::text FROM ({sql}) AS r)"  # noqa: S608
    return RawSQL(rows, params, output_field=TextField())  # noqa: S611


def rows_of(found: str | None) -> list[tuple]:
    """The rows of a ``json_rows`` text as tuples (None, no rows: none)."""
    return [tuple(row.values()) for row in json.loads(found)] if found else []


def forget() -> None:
    """Build the user's query again (what it reads has changed)."""
    _by_pk.cache_clear()
    _session_sql.cache_clear()


# The session store's read brings the user of the session along (``session_with_user``);
# the backend, asked for that user next in the same request, takes the row from here.
_WITH_SESSION: ContextVar[tuple | None] = ContextVar("user_read_with_session", default=None)
_NOT_WITH_SESSION = object()


def reads_with_session(alias: str) -> bool:
    """Whether a session read on ``alias`` brings its user along: on PostgreSQL, where the
    user is read from the same database."""
    model = get_user_model()
    return (
        connections[alias].vendor == "postgresql"
        and (router.db_for_read(model) or "default") == alias
    )


def session_with_user(alias: str, table: str, key: str, now) -> tuple | None:
    """The session ``key`` unexpired at ``now`` as (data, expiry date), or None; its user's
    row, as the user's own query reads it, is kept for the backend (``UserBackend``)."""
    sql, params = _session_sql(get_user_model(), alias, table)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [*params, key, now])
        row = cursor.fetchone()
    if row is None:
        _WITH_SESSION.set(None)
        return None
    data, expire_date, user_id, *user = row
    # No user row (the user was removed): nobody, without asking again.
    _WITH_SESSION.set((user_id, tuple(user) if user[0] is not None else None))
    return data, expire_date


def _read_with_session(pk):
    """The row the session read brought for user ``pk`` (None: no such user), once;
    ``_NOT_WITH_SESSION`` when it brought none for that user."""
    kept = _WITH_SESSION.get()
    _WITH_SESSION.set(None)
    if kept is None or kept[0] != pk:
        return _NOT_WITH_SESSION
    return kept[1]


@request_started.connect
def _start(**kwargs) -> None:
    # Nothing a request left unread reaches the next one on this thread.
    _WITH_SESSION.set(None)


@functools.cache
def _session_sql(model, alias: str, table: str) -> tuple[str, list]:
    """The session row joined with its user's query: the user's SQL with the session's
    user id where the marker was (the pk, the subqueries read with the user)."""
    compiled = _by_pk(model)
    sql, params = compiled.sql(alias)
    kept, place = [], iter(params)

    def put(match) -> str:
        if match.group() == "%%":
            return "%%"
        value = next(place)
        if value == compiled.marker:
            return 's."user_id"'
        kept.append(value)
        return "%s"

    user_sql = _PLACEHOLDER.sub(put, sql)
    quoted = connections[alias].ops.quote_name(table)
    # The ORM's SQL of the user's query, its values as parameters: nothing of the input in it.
    joined = (
        f's."session_data", s."expire_date", s."user_id", u.* FROM {quoted} s '
        f"LEFT JOIN LATERAL ({user_sql}) u ON TRUE "
        'WHERE s."session_key" = %s AND s."expire_date" > %s'
    )
    return f"SELECT {joined}", kept


_PLACEHOLDER = re.compile(r"%%|%s")


def _field_names(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


@functools.cache
def _by_pk(model) -> CompiledQuery:
    """The user by primary key, every column in the model's order, then what is read with
    it. The marker is one a 32-bit id can hold (Django's user id is one): with a 64-bit one
    the ORM would find that nothing matches and build no SQL (``marker_for``)."""

    def build(pk):
        users = model._default_manager.filter(pk=pk).order_by()
        extra = {f"with_{name}": make(pk) for name, make in _WITH_USER.items()}
        return users.annotate(**extra).values_list(*_field_names(model), *extra)

    return CompiledQuery(model, build, marker=marker_for(model._meta.pk))
