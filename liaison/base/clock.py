"""The moment a move is stamped with: now, unless a loader replays history.

The demo county (``seed_demo``) makes its cases through the real services; replayed at
seeding time, every case's timeline would read "today, 14:03:07" for its registration,
its referral and its reply alike. ``backdated`` lets such a loader say when each move
happened; the flow's events and the case's own stamps then read that moment. Nothing
else sets it: a request or a task always stamps the real time.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_moment: ContextVar[dt.datetime | None] = ContextVar("moment", default=None)


def now() -> dt.datetime:
    return _moment.get() or timezone.now()


@contextmanager
def backdated(moment: dt.datetime) -> Iterator[None]:
    if timezone.is_naive(moment) or moment > timezone.now():
        raise ValueError("History is replayed at an aware moment in the past.")
    token = _moment.set(moment)
    try:
        yield
    finally:
        _moment.reset(token)
