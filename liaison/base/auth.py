"""The signed-in user, read on every staff request with SQL built once per process.

Django's ``ModelBackend`` builds the same one-row SELECT through the ORM on every request
(AuthenticationMiddleware asks for the user of the session), at several times the cost
of running it. ``UserBackend`` is ``ModelBackend`` (passwords, permissions, active
users only) with that read a ``CompiledQuery``. (A session names the
backend that logged it in: those made before this one was installed name ModelBackend,
which is no longer listed, and log in once more.)"""

import functools

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
        user = model.from_db(alias, _field_names(model), found[0])
        return user if self.user_can_authenticate(user) else None


def _field_names(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


@functools.cache
def _by_pk(model) -> CompiledQuery:
    """The user by primary key, every column in the model's order. The marker is one a
    32-bit id can hold (Django's user id is one): with a 64-bit one the ORM would find
    that nothing matches and build no SQL (``marker_for``)."""
    return CompiledQuery(
        model,
        lambda pk: (
            model._default_manager.filter(pk=pk).order_by().values_list(*_field_names(model))
        ),
        marker=marker_for(model._meta.pk),
    )
