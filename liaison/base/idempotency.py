"""A write sent twice is made once: API calls with an ``Idempotency-Key`` header and staff
forms with their one-time token (``_once``, added by ``static/js/staff.js``).

A client that timed out does not know whether its move was made; it sends the same
request again. ``IdempotencyMiddleware`` records the key (per user) before the request
runs, in its own committed row, so a repeat — even one that arrives while the first is
still running — finds it:

- API (``/api/`` writes with the header): a success (2xx) is stored and a repeat gets it
  again, byte for byte, with ``Idempotent-Replayed: true``; a refusal (4xx: nothing
  changed) frees the key so the corrected request can use it; a repeat while the first
  runs, or after it ended without an answer (5xx, a killed worker), is a 409 that says
  to look at the object first; the same key on another request is a 422.
- Staff forms (POST under ``/staff/`` with ``_once``): a repeat is not run; the user is
  sent back to the page, which shows what the first one did. A form that came back with
  errors (400) frees its token.

Keys are kept ``IDEMPOTENCY_KEEP_HOURS`` (``idempotency_keys_purge``, a daily sweep).
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from liaison.base.models import IdempotencyKey

HEADER = "Idempotency-Key"
FORM_FIELD = "_once"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


def _api_user(request):
    """The API's own authentication (token, then session), as the view will do it."""
    from rest_framework.authentication import SessionAuthentication
    from rest_framework.exceptions import APIException
    from rest_framework.request import Request

    from liaison.base.api_tokens import HashedTokenAuthentication

    api_request = Request(
        request, authenticators=[HashedTokenAuthentication(), SessionAuthentication()]
    )
    try:
        user = api_request.user
    except APIException:
        return None  # refused credentials: the view answers that itself
    return user if user.is_authenticated else None


def _reserve(*, user, scope: str, key: str, request, fingerprint: str):
    """The new row, or the existing one with this key."""
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                user=user,
                scope=scope,
                key=key,
                method=request.method,
                path=request.path[:300],
                fingerprint=fingerprint,
            ), True
    except IntegrityError:
        return IdempotencyKey.objects.get(user=user, scope=scope, key=key), False


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        if request.path.startswith("/api/") and request.headers.get(HEADER):
            return self._api(request, request.headers[HEADER].strip())
        if request.path.startswith("/staff/") and request.method == "POST":
            token = request.POST.get(FORM_FIELD, "").strip()
            if token and request.user.is_authenticated:
                return self._form(request, token)
        return self.get_response(request)

    def _api(self, request, key: str):
        if not key or len(key) > 100:
            message = _("The Idempotency-Key header must be 1 to 100 characters.")
            return JsonResponse({"detail": message}, status=400)
        user = _api_user(request)
        if user is None:
            return self.get_response(request)
        digest = hashlib.sha256(request.method.encode() + request.path.encode() + request.body)
        row, new = _reserve(
            user=user, scope="api", key=key, request=request, fingerprint=digest.hexdigest()
        )
        if not new:
            return _replay(row, digest.hexdigest())
        response = self.get_response(request)
        if 200 <= response.status_code < 300 and not getattr(response, "streaming", False):
            row.status_code = response.status_code
            row.content_type = response.get("Content-Type", "")
            row.body = response.content
            row.save(update_fields=["status_code", "content_type", "body"])
        elif response.status_code < 500:
            row.delete()  # refused: nothing changed, the key may be used again
        # 5xx: kept without an answer; a repeat is told the outcome is unknown.
        return response

    def _form(self, request, token: str):
        row, new = _reserve(
            user=request.user, scope="form", key=token[:100], request=request, fingerprint=""
        )
        if not new:
            messages.info(
                request,
                _("This form was already sent; it was not sent again. The page shows its result."),
            )
            return HttpResponseRedirect(_back(request))
        response = self.get_response(request)
        if response.status_code == 400:
            row.delete()  # the form came back with errors: the corrected one may be sent
        else:
            row.status_code = response.status_code
            row.save(update_fields=["status_code"])
        return response


def _back(request) -> str:
    """The page the form was on (the POST's own URL may answer only POST)."""
    referer = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "/staff/"


def _replay(row: IdempotencyKey, fingerprint: str) -> HttpResponse:
    if row.fingerprint != fingerprint:
        message = _("This Idempotency-Key was already used for another request.")
        return JsonResponse({"detail": message, "code": "idempotency_key_reused"}, status=422)
    if row.status_code is None:
        message = _(
            "A request with this Idempotency-Key is in progress, or ended without an answer. "
            "Look at the object before sending it again with a new key."
        )
        return JsonResponse({"detail": message, "code": "idempotency_in_progress"}, status=409)
    response = HttpResponse(bytes(row.body), status=row.status_code, content_type=row.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotency_keys_purge(*, now: dt.datetime | None = None) -> int:
    """Forget keys older than IDEMPOTENCY_KEEP_HOURS; returns how many."""
    now = now or timezone.now()
    old = IdempotencyKey.objects.filter(
        created_at__lt=now - dt.timedelta(hours=settings.IDEMPOTENCY_KEEP_HOURS)
    )
    return old.delete()[0]
