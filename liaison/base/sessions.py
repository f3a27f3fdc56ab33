"""The database session store, its read on every staff request made one plain statement.

Sessions stay in the database (a logout, a password change or an administrator's
"end all sessions" deletes rows, and that must end the session everywhere at once, which
a cache in front would not). The store keeps them in ``liaison.base.models.Session``,
Django's table with the id of the session's user beside its data (written from the data
at each save). On PostgreSQL the read of a session brings its user along, with what is
read with the user (``liaison.base.auth``): the session and the user were two round trips
on every staff request. Elsewhere the read is the ORM's one-row SELECT made plain SQL.
The text read is decoded once per process while it stays the same.
"""

import copy

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from liaison.base import auth

# Session data as decoded, by its text (and the key that signed it): a session's text
# stays the same between its writes, and checking its signature and reading its JSON on
# every request of a clerk's day cost as much as reading it. Bounded.
_DECODED: dict[tuple, dict] = {}
_DECODED_MAX = 4096
_SCALARS = (str, int, float, bool, type(None))
# The largest id the column holds (an IntegerField); a larger one is nobody's.
_LARGEST_USER_ID = 2**31 - 1


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls):
        from liaison.base.models import Session

        return Session

    def create_model_instance(self, data):
        row = super().create_model_instance(data)
        row.user_id = _user_id(data.get(SESSION_KEY))
        return row

    def decode(self, session_data):
        key = (session_data, settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS, self.key_salt)
        found = _DECODED.get(key)
        if found is None:
            found = super().decode(session_data)
            if len(_DECODED) >= _DECODED_MAX:
                _DECODED.clear()
            _DECODED[key] = found
        # The request's own copy: the session changes its dict (and may change a value
        # inside, a list or a dict) without changing the text kept here.
        if all(type(value) in _SCALARS for value in found.values()):
            return dict(found)
        return copy.deepcopy(found)

    def _get_session_from_db(self):
        if not self._validate_session_key(self.session_key):
            self._session_key = None
            return None
        model = self.model
        alias = router.db_for_read(model) or "default"
        connection = connections[alias]
        now = timezone.now()
        if auth.reads_with_session(alias):
            row = auth.session_with_user(alias, model._meta.db_table, self.session_key, now)
        else:
            table = connection.ops.quote_name(model._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT session_data, expire_date FROM {table} "  # noqa: S608 (our table name)
                    "WHERE session_key = %s AND expire_date > %s",
                    [self.session_key, now],
                )
                row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0], expire_date=row[1])


def sessions_purge_expired() -> int:
    """Delete the expired sessions; returns how many (the nightly beat task)."""
    from liaison.base.models import Session

    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


def _user_id(value) -> int | None:
    """The session's user id as the column holds it (Django keeps it as text)."""
    try:
        user_id = int(value)
    except (TypeError, ValueError):
        return None
    return user_id if 0 < user_id <= _LARGEST_USER_ID else None
