"""The signed-in user, read on every staff request with SQL built once per process.

Django's ``ModelBackend`` builds the same one-row SELECT through the ORM on every request
(AuthenticationMiddleware asks for the user of the session), at several times the cost
of running it. ``UserBackend`` is ``ModelBackend`` (passwords, permissions, active
users only) with that read a ``CompiledQuery``. (A session names the
backend that logged it in: those made before this one was installed name ModelBackend,
which is no longer listed, and log in once more.)

What other modules read of the signed-in user on every request (the roles, the header's
unread count) comes in the same query: each registers a one-value subquery by name
(``read_with_user``), and finds its value on the user of the request (``read_with``),
one round trip to the database instead of three."""

import functools
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router

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
        found = _by_pk(model).rows(pk)
        if not found:
            return None
        names = _field_names(model)
        user = model.from_db(alias, names, found[0][: len(names)])
        user._read_with = dict(zip(_WITH_USER, found[0][len(names) :], strict=True))
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


def forget() -> None:
    """Build the user's query again (what it reads has changed)."""
    _by_pk.cache_clear()


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
