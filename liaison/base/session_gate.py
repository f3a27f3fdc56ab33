"""A session marked at login (two-factor enrolment due, password expired) opens only the
pages that clear the mark, and what they need; every other request goes there."""

from django.shortcuts import redirect

# What any gated session may still reach: leave, static files, the language switch.
ALWAYS_ALLOWED = ("/staff/logout/", "/static/", "/i18n/")


class SessionGateMiddleware:
    """Subclasses name the session key of the mark, the page that clears it (a URL name)
    and the paths that stay open besides ``ALWAYS_ALLOWED``."""

    key: str
    page: str
    allowed: tuple[str, ...] = ()

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_paths = self.allowed + ALWAYS_ALLOWED

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(self.key)
            and not request.path.startswith(self.open_paths)
        ):
            return redirect(self.page)
        return self.get_response(request)
