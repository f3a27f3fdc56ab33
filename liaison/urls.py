from django.contrib import admin
from django.urls import include, path

from liaison import health
from stations import feeds

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("stations/", include("stations.urls")),
    # The representative's feed is served by stations/, which owns reception days;
    # representatives/ must not import stations/.
    path(
        "representatives/<int:pk>/calendar.ics",
        feeds.representative_calendar,
        name="representative-calendar",
    ),
]
