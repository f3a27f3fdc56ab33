"""The signed-in user, read on every staff request with SQL built once per process.

Django's ``ModelBackend`` builds the same one-row SELECT through the ORM on every request
(AuthenticationMiddleware asks for the user of the session), at several times the cost
of running it. ``UserBackend`` is ``ModelBackend`` (passwords, permissions, active
users only) with that read done as ``CompiledQuery`` does it. (A session names the
backend that logged it in: those made before this one was installed name ModelBackend,
which is no longer listed, and log in once more.)"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:  # a session's id that is no id: nobody
            return None
        alias = router.db_for_read(model) or "default"
        connection = connections[alias]
        # SQLite returns dates as text for the ORM's converters to parse: the ORM reads them.
        if connection.vendor != "postgresql":
            return super().get_user(pk)
        with connection.cursor() as cursor:
            cursor.execute(_select(model, connection), [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        user = model.from_db(alias, _field_names(model), row)
        return user if self.user_can_authenticate(user) else None


def _field_names(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


_SQL: dict[tuple, str] = {}


def _select(model, connection) -> str:
    key = (model._meta.label, connection.alias)
    sql = _SQL.get(key)
    if sql is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in model._meta.concrete_fields)
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        sql = _SQL[key] = f"SELECT {columns} FROM {table} WHERE {pk} = %s"  # noqa: S608
    return sql
