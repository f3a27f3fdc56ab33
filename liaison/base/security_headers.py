"""Headers on every answer: a Content-Security-Policy without 'unsafe-inline', a
Permissions-Policy that turns off what the site never uses, and ``Cache-Control:
no-store`` on everything a signed-in user sees and on the staff API, where personal data
is (a shared library computer's cache keeps nothing)."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), interest-cohort=()"
)
PUBLIC_API = "/api/v1/public/"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not any(request.path.startswith(p) for p in settings.CSP_EXEMPT_PATHS):
            response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        staff_api = request.path.startswith("/api/") and not request.path.startswith(PUBLIC_API)
        if (user is not None and user.is_authenticated) or staff_api:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response
