"""The language switch, without a CSRF token: every page carries its form, and a page
that renders a token sets a cookie and can no longer be cached for all visitors
(liaison/base/public_cache.py). Forging it could only change a visitor's language;
it is refused anyway unless the browser says the form came from this site (Origin, or
Referer, or Sec-Fetch-Site), which every browser in use sends with a POST."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseForbidden
from django.views import i18n
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


def _origins(request) -> set[str]:
    return {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}


def same_site(request) -> bool:
    origin = request.headers.get("Origin")
    if origin is not None:
        return origin in _origins(request)
    referer = request.headers.get("Referer")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" in _origins(request)
    return request.headers.get("Sec-Fetch-Site", "same-origin") in {"same-origin", "none"}


@csrf_exempt
@require_POST
def set_language(request):
    if not same_site(request):
        return HttpResponseForbidden()
    return i18n.set_language(request)
