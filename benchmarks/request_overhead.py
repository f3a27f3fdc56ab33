"""What every request costs before its view: each middleware's own time and queries, for
an anonymous visitor and for a signed-in member of staff, over a view that does nothing;
and the session store (database, cached database, cache) read and written.

    createdb -h 127.0.0.1 -U postgres liaison_overhead
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/liaison_overhead \
    REDIS_URL=redis://127.0.0.1:6379/1 .venv/bin/python benchmarks/request_overhead.py
    dropdb -h 127.0.0.1 -U postgres liaison_overhead

In-process (no network), production middleware as in settings.MIDDLEWARE. Not a test: it
prints tables for docs/benchmarks.md.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
# The requests are built by Django's RequestFactory, whose host is "testserver".
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

# The marks between the middleware: (position, "in"/"out", perf_counter, queries so far).
MARKS: list[tuple[int, str, float, int]] = []


def _queries() -> int:
    from django.db import connection

    return len(connection.queries)


def marker(position: int):
    class Mark:
        def __init__(self, get_response):
            self.get_response = get_response

        def __call__(self, request):
            MARKS.append((position, "in", time.perf_counter(), _queries()))
            response = self.get_response(request)
            MARKS.append((position, "out", time.perf_counter(), _queries()))
            return response

    return Mark


def nothing(request):
    from django.http import HttpResponse

    return HttpResponse("ok")


def __getattr__(name):
    # ROOT_URLCONF is this module: its one URL, built once Django is set up.
    if name == "urlpatterns":
        from django.urls import path

        return [path("nothing/", nothing)]
    raise AttributeError(name)


def _handler(middleware: list[str]):
    """Django's handler with a mark before each middleware and one before the view."""
    from django.core.handlers.base import BaseHandler
    from django.test import override_settings

    names = []
    for position, path in enumerate(middleware):
        globals()[f"Mark{position}"] = marker(position)
        names += [f"{__name__}.Mark{position}", path]
    globals()[f"Mark{len(middleware)}"] = marker(len(middleware))
    names.append(f"{__name__}.Mark{len(middleware)}")
    handler = BaseHandler()
    with override_settings(MIDDLEWARE=names):
        handler.load_middleware()
    return handler.get_response


def measure(middleware, request_factory, runs: int):
    """Per middleware: median own time (µs) and queries per request."""
    from django.db import reset_queries

    handler = _handler(middleware)
    own = {path: [] for path in middleware}
    queries = dict.fromkeys(middleware, 0)
    totals = []
    for run in range(runs):
        MARKS.clear()
        reset_queries()
        started = time.perf_counter()
        handler(request_factory())
        totals.append(time.perf_counter() - started)
        entered = {(p, d): (t, q) for p, d, t, q in MARKS}
        for position, path in enumerate(middleware):
            if (position + 1, "in") not in entered:
                continue  # answered before the view: its own time is the rest
            t_in, q_in = entered[(position, "in")]
            t_next_in, q_next_in = entered[(position + 1, "in")]
            t_next_out, q_next_out = entered[(position + 1, "out")]
            t_out, q_out = entered[(position, "out")]
            own[path].append(((t_next_in - t_in) + (t_out - t_next_out)) * 1e6)
            if run == runs - 1:
                queries[path] = (q_next_in - q_in) + (q_out - q_next_out)
    return {
        path: (statistics.median(times) if times else 0.0, queries[path])
        for path, times in own.items()
    }, statistics.median(totals) * 1e6


def session_store(engine: str, session_key: str, runs: int) -> tuple[float, float]:
    """Median µs to load a session, and to save one changed key."""
    from importlib import import_module

    store = import_module(engine).SessionStore
    loads, saves = [], []
    for _ in range(runs):
        session = store(session_key)
        started = time.perf_counter()
        session.load()
        loads.append(time.perf_counter() - started)
    for n in range(runs):
        session = store(session_key)
        session["last_seen"] = n
        started = time.perf_counter()
        session.save()
        saves.append(time.perf_counter() - started)
    return statistics.median(loads) * 1e6, statistics.median(saves) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    connection.force_debug_cursor = True  # count queries without DEBUG
    User = get_user_model()
    user, _ = User.objects.get_or_create(username="overhead-liaison")
    user.set_password("overhead-password-1A")
    user.save()
    factory = RequestFactory()

    def signed_in_key(engine: str) -> str:
        from importlib import import_module

        session = import_module(engine).SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "liaison.base.auth.UserBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session["last_seen"] = int(time.time())
        session.create()
        return session.session_key

    middleware = list(settings.MIDDLEWARE)
    engines = {
        "db": "django.contrib.sessions.backends.db",
        "cached_db": "django.contrib.sessions.backends.cached_db",
    }
    print(f"{'middleware':60} {'anonymous':>10} {'q':>2} {'signed in':>10} {'q':>2}")
    for label, engine in engines.items():
        with override_settings(SESSION_ENGINE=engine, ROOT_URLCONF=__name__):
            key = signed_in_key(engine)

            def anonymous():
                return factory.get("/nothing/")

            def signed_in(key=key):
                request = factory.get("/nothing/")
                request.COOKIES[settings.SESSION_COOKIE_NAME] = key
                return request

            anon, anon_total = measure(middleware, anonymous, args.runs)
            staff, staff_total = measure(middleware, signed_in, args.runs)
            print(f"-- sessions: {label}")
            for path in middleware:
                a, aq = anon[path]
                s, sq = staff[path]
                print(f"{path:60} {a:8.1f}µs {aq:2} {s:8.1f}µs {sq:2}")
            print(f"{'whole request (view does nothing)':60} {anon_total:8.1f}µs    "
                  f"{staff_total:8.1f}µs")  # fmt: skip
    print()
    print(f"{'session store':12} {'load':>10} {'save':>10}")
    for label, engine in {**engines, "cache": "django.contrib.sessions.backends.cache"}.items():
        load, save = session_store(engine, signed_in_key(engine), args.runs)
        print(f"{label:12} {load:8.1f}µs {save:8.1f}µs")


if __name__ == "__main__":
    main()
