"""Idle logout: a session ends SESSION_IDLE_SECONDS after its last request. The time
of the last request is written at most once a minute, so that a page view costs no
session write (list pages keep their query budget)."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in

SEEN = "last_seen"
WRITE_EVERY = 60


def _stamp(sender, request, user, **kwargs):
    request.session[SEEN] = int(time.time())


user_logged_in.connect(_stamp, dispatch_uid="idle-stamp")


class IdleLogoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now, seen = int(time.time()), request.session.get(SEEN)
            if seen is not None and now - seen > settings.SESSION_IDLE_SECONDS:
                logout(request)
            elif seen is None or now - seen > WRITE_EVERY:
                request.session[SEEN] = now
        return self.get_response(request)
