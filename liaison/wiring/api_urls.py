"""The REST API: /api/v1/ resources, /api/schema/ (OpenAPI 3), /api/docs/ (Swagger UI).

Swagger UI is served from the vendored drf-spectacular-sidecar assets: no CDN.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from liaison.wiring.api_tokens import TokenView
from projects.api import ProjectViewSet, VoteViewSet
from stations.public_api import (
    PublicReceptionDayViewSet,
    PublicRegionChildrenView,
    PublicRegionStationsView,
    PublicRepresentativeViewSet,
    PublicStationViewSet,
)
from suggestions.cases.api import CaseViewSet
from suggestions.cases.public_api import PublicCaseRatingView, PublicCaseStatusView
from suggestions.cases.visits_api import VisitViewSet
from suggestions.proposals.api import SuggestionViewSet
from workarea.api import AttachmentsView

router = DefaultRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("visits", VisitViewSet, basename="visit")
# The public read-only API: anonymous, throttled, published fields only.
router.register(
    "public/representatives", PublicRepresentativeViewSet, basename="public-representative"
)
router.register("public/stations", PublicStationViewSet, basename="public-station")
router.register("public/reception-days", PublicReceptionDayViewSet, basename="public-reception-day")
router.register("suggestions", SuggestionViewSet, basename="suggestion")
router.register("projects/votes", VoteViewSet, basename="project-vote")
router.register("projects", ProjectViewSet, basename="project")

urlpatterns = [
    path("v1/auth/token/", TokenView.as_view(), name="api-token"),
    path("v1/public/case-status/", PublicCaseStatusView.as_view(), name="public-case-status"),
    path("v1/public/case-rating/", PublicCaseRatingView.as_view(), name="public-case-rating"),
    # The opinion form's place picker: one region's children, not throttled, cached.
    path(
        "v1/public/regions/<str:code>/children/",
        PublicRegionChildrenView.as_view(),
        name="public-region-children",
    ),
    path(
        "v1/public/regions/<str:code>/stations/",
        PublicRegionStationsView.as_view(),
        name="public-region-stations",
    ),
    path(
        "v1/attachments/<slug:subject_type>/<int:subject_id>/",
        AttachmentsView.as_view(),
        name="attachments",
    ),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
