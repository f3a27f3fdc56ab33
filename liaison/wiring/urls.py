from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from liaison.base import health
from liaison.wiring import home

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", home.home, name="home"),
    path("staff/", include("liaison.wiring.staff.urls")),
    # The public site is served by stations/, which owns memberships and reception days
    # (representatives/ must not import stations/).
    path("", include("duty.urls")),
    path("", include("stations.urls")),
    path("", include("suggestions.cases.urls")),
    path("suggestions/", include("suggestions.proposals.urls")),
    # Uploaded photos in development; production serves them from the proxy
    # (deploy/nginx.conf).
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
    path("api/", include("liaison.wiring.api_urls")),
]
