from django.urls import path

from duty import public

urlpatterns = [
    # The profile is stations/'s page plus the duty record (counts, published reports).
    path("representatives/<int:pk>/", public.representative_detail, name="representative-detail"),
    path("representatives/grid/", public.grid_lookup, name="grid-lookup"),
    path(
        "representatives/<int:pk>/reports/<int:year>/",
        public.report_detail,
        name="public-duty-report",
    ),
]
