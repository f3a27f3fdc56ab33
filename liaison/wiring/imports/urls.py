from django.urls import path

from liaison.wiring.imports import views

urlpatterns = [
    path("go-live/", views.go_live, name="go-live"),
    path("imports/", views.import_home, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import-apply"),
    path("imports/<int:pk>/retry/", views.import_retry, name="import-retry"),
    path(
        "imports/<slug:kind>/<slug:what>.<slug:fmt>",
        views.roster_file,
        name="import-file",
    ),
]
