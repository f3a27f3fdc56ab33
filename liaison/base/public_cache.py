"""Whole public pages from the cache: the pages every anonymous visitor sees alike.

A view marked ``@public_page("station", "representative", ...)`` names the *kinds* of
data it shows. ``PublicPageMiddleware`` (before the session, locale and auth middleware)
serves such a page from the cache under a key made of the path and query, the language
the locale middleware would pick, today's date and one version per kind, read in one
``get_many``. A save or delete of what a kind covers bumps its version
(``bump(kind)``, from signals and from the services that write in bulk), so the next
request renders afresh: a change is visible at once, and old entries simply expire.
The published figures are cached for ``PUBLIC_FIGURES_CACHE_SECONDS`` already; their
"version" is the number of that period since the epoch, read from the clock.

Nothing personal is ever stored: a request with any cookie but the language and CSRF
cookies (a session, messages) or with an Authorization header goes through untouched,
and a response is stored only if the marked view answered 200 to an anonymous user
without setting a cookie (a page that renders a CSRF token sets one, so it never is).
While Redis is unreachable the cache is this process's memory (liaison/base/cache.py),
where another process's bump would not be seen: pages are then rendered every time.

Stored pages carry an ``ETag`` and ``Cache-Control: public, max-age=PUBLIC_PAGE_MAX_AGE``
so that nginx can micro-cache them (deploy/nginx.conf) and browsers revalidate (304).
"""

import hashlib
import secrets
import time
from functools import wraps

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers

from liaison.base.input_guard import has_bad_values

KINDS = ("region", "station", "representative", "reception")
FIGURES = "figures"
VERSION_KEY = "public-page:version:"
PAGE_KEY = "public-page:"


def public_page(*kinds: str):
    """Marks a view whose anonymous GET is the same for everyone; ``kinds`` are what
    it shows (``KINDS`` and ``FIGURES``)."""
    unknown = set(kinds) - {*KINDS, FIGURES}
    if unknown:
        raise ValueError(f"unknown public page kinds: {sorted(unknown)}")

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            # The middleware stores only what the marked view itself answered.
            response.public_page = True
            return response

        wrapped.public_page_kinds = tuple(sorted(kinds))
        return wrapped

    return decorate


def bump(*kinds: str) -> None:
    """A change to what ``kinds`` cover: pages showing them render afresh. Written now
    and again after the transaction commits, so that a page rendered in between from
    the old rows is not kept under the new version."""
    kinds = kinds or KINDS

    def write():
        cache.set_many({VERSION_KEY + kind: secrets.token_hex(8) for kind in kinds}, None)

    write()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(write)


def bump_all() -> None:
    bump(*KINDS)


def figures_period() -> str:
    """The published figures' period number: pages showing figures change with it."""
    return str(int(time.time() // settings.PUBLIC_FIGURES_CACHE_SECONDS))


def _versions(kinds: tuple[str, ...]) -> list[str]:
    stored = [kind for kind in kinds if kind != FIGURES]
    keys = [VERSION_KEY + kind for kind in stored]
    found = cache.get_many(keys) if keys else {}
    missing = [key for key in keys if key not in found]
    for key in missing:
        # A version evicted or never set gets a fresh one, never an old value again.
        cache.add(key, secrets.token_hex(8), None)
    if missing:
        found.update(cache.get_many(missing))
    values = [f"{kind}={found.get(VERSION_KEY + kind, '')}" for kind in stored]
    if FIGURES in kinds:
        values.append(f"{FIGURES}={figures_period()}")
    return values


def language_of(request) -> str:
    """The language LocaleMiddleware will activate for this request."""
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    i18n_patterns_used, prefixed_default = is_language_prefix_patterns_used(urlconf)
    language = translation.get_language_from_request(request, check_path=i18n_patterns_used)
    if (
        i18n_patterns_used
        and not prefixed_default
        and not translation.get_language_from_path(request.path_info)
    ):
        language = settings.LANGUAGE_CODE
    return language


ALLOWED_COOKIES = frozenset({settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME})


def page_kinds(request) -> tuple[str, ...] | None:
    """The kinds of a request the page cache may answer, or None."""
    if request.method not in ("GET", "HEAD") or len(request.META.get("QUERY_STRING", "")) > 500:
        return None
    if not ALLOWED_COOKIES.issuperset(request.COOKIES) or "authorization" in request.headers:
        return None
    if getattr(cache, "degraded", False):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return getattr(match.func, "public_page_kinds", None)


def _key(request, kinds) -> str:
    parts = [
        request.get_full_path(),
        language_of(request),
        timezone.localdate().isoformat(),
        *_versions(kinds),
    ]
    return PAGE_KEY + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _storable(request, response) -> bool:
    user = getattr(request, "user", None)
    cache_control = response.get("Cache-Control", "")
    return (
        getattr(response, "public_page", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (user is not None and user.is_authenticated)
        and "private" not in cache_control
        and "no-store" not in cache_control
        and response.get("Vary") != "*"
    )


def _keep_for(request) -> int:
    """Anyone can ask for endless distinct queries, each stored once rendered: pages with
    a query are kept for less time, so that what they take in Redis stays bounded (the
    render rate times this many seconds)."""
    if request.META.get("QUERY_STRING"):
        return min(settings.PUBLIC_PAGE_CACHE_SECONDS, settings.PUBLIC_PAGE_QUERY_CACHE_SECONDS)
    return settings.PUBLIC_PAGE_CACHE_SECONDS


def _mark_public(response) -> None:
    response["ETag"] = f'"{hashlib.blake2b(response.content, digest_size=16).hexdigest()}"'
    response["Cache-Control"] = f"public, max-age={settings.PUBLIC_PAGE_MAX_AGE}"
    # Downstream caches keep one copy per language (cookie or Accept-Language).
    patch_vary_headers(response, ("Accept-Language", "Cookie"))


def _from_entry(entry) -> HttpResponse:
    headers, content = entry
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


class PublicPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kinds = page_kinds(request)
        # A request the input guard refuses is left to it (a 400, never a cached page).
        if kinds is None or has_bad_values(request):
            return self.get_response(request)
        key = _key(request, kinds)
        entry = cache.get(key)
        if entry is not None:
            response = _from_entry(entry)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        # Rendered from the primary: the replica may not have the change the version is of.
        request.public_page_miss = True
        response = self.get_response(request)
        if request.method == "GET" and _storable(request, response):
            _mark_public(response)
            cache.set(key, (list(response.items()), response.content), _keep_for(request))
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response
