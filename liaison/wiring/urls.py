from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

from liaison.base import health, language
from liaison.wiring import home

# Static pages that need no database (liaison/base/errors.py).
handler500 = "liaison.base.errors.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Django's switch, without the CSRF token that would keep public pages out of the cache.
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("", home.home, name="home"),
    path("staff/", include("liaison.wiring.staff.urls")),
    # Before the public site's includes, which the API's every request would try first.
    path("api/", include("liaison.wiring.api_urls")),
    # The public site is served by stations/, which owns memberships and reception days
    # (representatives/ must not import stations/).
    path("", include("duty.urls")),
    path("", include("stations.urls")),
    path("", include("suggestions.cases.urls")),
    path("suggestions/", include("suggestions.proposals.urls")),
    path("projects/", include("projects.urls")),
    # Representatives' photos outside production (`make run`, with or without DEBUG), the
    # only published part of media as in deploy/nginx.conf, which serves them in production.
    *(
        []
        if settings.PRODUCTION
        else [
            re_path(
                rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>representatives/.*)$",
                serve,
                {"document_root": settings.MEDIA_ROOT},
            )
        ]
    ),
]
