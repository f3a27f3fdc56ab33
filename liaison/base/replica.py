"""Reads that may be served by a PostgreSQL streaming read replica (DATABASE_REPLICA_URL;
docs/scaling.md).

Only what is marked goes there: the views of the public pages (an anonymous GET outside
/staff/, /admin/ and the staff API) and of the reports (a GET under /staff/figures/),
through ``ReplicaReadsMiddleware``, or code inside ``replica_reads()``. Everything else reads
the primary, and so does a marked read that would see stale data:

- inside a transaction (a read that decides a write must see the primary's rows);
- after the same request or block wrote anything (a user's own change is on the
  next page they see; a replica may be a few hundred milliseconds behind).

Without a replica (``DATABASE_REPLICA_ALIAS`` empty) every read and write goes to the
primary, ``default``. Writes and migrations never go to the replica.
"""

import contextvars
import re
from contextlib import contextmanager

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

_marked = contextvars.ContextVar("replica_reads", default=False)
_wrote = contextvars.ContextVar("replica_reads_wrote", default=False)


def replica_alias() -> str:
    return settings.DATABASE_REPLICA_ALIAS


@contextmanager
def replica_reads():
    """Reads inside may go to the replica (see the module's docstring for when not)."""
    marked, wrote = _marked.set(True), _wrote.set(False)
    try:
        yield
    finally:
        _marked.reset(marked)
        _wrote.reset(wrote)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = replica_alias()
        if not alias or not _marked.get() or _wrote.get():
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return alias

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both copies hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


# Never marked: staff pages and the staff API read what the staff just wrote, and the
# admin edits. /staff/figures/ (reports) is marked for any user, below.
_STAFF_PATHS = re.compile(r"^/(staff|admin|api/(?!v1/public/))")
_REPORT_PATHS = re.compile(r"^/staff/figures/")


def wants_replica(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if _REPORT_PATHS.match(request.path_info):
        return True
    anonymous = not getattr(request, "user", None) or not request.user.is_authenticated
    return anonymous and not _STAFF_PATHS.match(request.path_info)


class ReplicaReadsMiddleware:
    """Marks the public pages' and the reports' reads for the replica, when there is one:
    the view's and its template's, not the middleware's before it. The session, the user,
    the second factor and the password's age are read from the primary, so that a login
    or a password change a moment ago is seen at once."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        marked, wrote = _marked.set(False), _wrote.set(False)
        try:
            return self.get_response(request)
        finally:
            _marked.reset(marked)
            _wrote.reset(wrote)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if replica_alias() and wants_replica(request):
            _marked.set(True)
