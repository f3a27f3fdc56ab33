from django.contrib import admin
from django.urls import include, path

from liaison import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("liaison.api_urls")),
]
