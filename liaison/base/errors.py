"""Answers when the site cannot serve: the maintenance switch, the database out, an error.

The pages are static files (``static/errors/500.html`` and ``503.html``, Chinese with an
English line): they need no database, no template and no cache, so they still show when
those are what failed; the proxy can serve the same files when gunicorn is down. API
paths get the same answer as JSON.

- ``ServiceUnavailableMiddleware``: the maintenance switch (``MAINTENANCE_MODE``, or the
  file ``MAINTENANCE_FILE``: ``manage.py maintenance on``) answers 503 to everything but
  ``/healthz``; a view that finds the database unreachable, or the rate limits failing
  closed (``liaison/base/ratelimit.py``), answers 503 with ``Retry-After``.
- ``server_error``: the ``handler500``; an error raised outside a view (a middleware that
  saves the session) lands here, and a database outage is still a 503 then.
"""

import logging
import sys
from functools import cache

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from liaison.base.ratelimit import RateLimitUnavailable

logger = logging.getLogger(__name__)

# What the database raises when it is stopped, restarting, refusing, or too slow
# (statement_timeout): the request may succeed again in a moment.
OUTAGES = (OperationalError, InterfaceError, RateLimitUnavailable)
RETRY_AFTER_SECONDS = 30


@cache
def _page(status: int) -> bytes:
    return (settings.ERROR_PAGES_DIR / f"{status}.html").read_bytes()


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def error_response(request, status: int) -> HttpResponse:
    if _wants_json(request):
        detail = (
            _("The service is temporarily unavailable. Please try again later.")
            if status == 503
            else _("Server error. The error was logged.")
        )
        response = JsonResponse({"detail": detail}, status=status)
    else:
        response = HttpResponse(_page(status), status=status, content_type="text/html")
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def maintenance_on() -> bool:
    return settings.MAINTENANCE_MODE or settings.MAINTENANCE_FILE.exists()


class ServiceUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != "/healthz" and maintenance_on():
            return error_response(request, 503)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OUTAGES):
            logger.error(
                "503 for %s %s: %s: %s",
                request.method,
                request.path,
                type(exception).__name__,
                exception,
            )
            return error_response(request, 503)
        return None


def server_error(request, *args, **kwargs):
    """``handler500``: the static 500 page, or the 503 page for an outage."""
    error = sys.exc_info()[1]
    return error_response(request, 503 if isinstance(error, OUTAGES) else 500)
