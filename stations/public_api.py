"""The public read-only API: published representatives, active stations, announced
reception days. Anonymous, throttled per client address, keyset-paginated; only the
fields the public pages show (never a private phone, never a constituent).

And the place picker of the opinion form (``places.py``): a region's children with a
station, a township's stations. Small cached answers, not throttled (below)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.base.ratelimit import PublicThrottle
from representatives.photos import photo_thumbnail
from stations import places, selectors
from stations.filters import (
    PublicReceptionDayFilter,
    PublicRepresentativeFilter,
    PublicStationFilter,
)


class ById(CursorPagination):
    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


class PublicMixin:
    """Anonymous and read-only, whoever asks: the same answer logged in or not."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]
    throttle_scope = "public"
    pagination_class = ById


class StationRef(serializers.Serializer):
    id = serializers.IntegerField(source="station.pk")
    name = serializers.CharField(source="station.name")


class PublicRepresentativeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    level = serializers.CharField()
    level_label = serializers.CharField(source="get_level_display")
    term = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    electoral_district = serializers.CharField()
    work_unit = serializers.CharField()
    position = serializers.CharField()
    public_phone = serializers.CharField()
    photo = serializers.SerializerMethodField()
    stations = StationRef(source="current_memberships", many=True)
    url = serializers.CharField(source="get_absolute_url")

    def get_photo(self, representative) -> str | None:
        url = photo_thumbnail(representative.photo, "profile")
        return self.context["request"].build_absolute_uri(url) if url else None


class PublicStationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    region = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name")
    address = serializers.CharField()
    in_service_centre = serializers.BooleanField()
    opening_notes = serializers.CharField()
    url = serializers.CharField(source="get_absolute_url")
    calendar_url = serializers.SerializerMethodField()
    form_url = serializers.SerializerMethodField()

    def get_calendar_url(self, station) -> str:
        return reverse("station-calendar", args=[station.pk])

    def get_form_url(self, station) -> str:
        return f"{reverse('case-submit')}?{urlencode({'station': station.pk})}"


class OnDutySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="representative.pk")
    name = serializers.CharField(source="representative.name")
    level = serializers.CharField(source="representative.level")
    kind = serializers.CharField()
    work_unit = serializers.CharField(source="representative.work_unit")
    position = serializers.CharField(source="representative.position")
    public_phone = serializers.CharField(source="representative.public_phone")


class PublicReceptionDaySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    station = serializers.IntegerField(source="station_id")
    station_name = serializers.CharField(source="station.name")
    region_name = serializers.CharField(source="station.region.name")
    date = serializers.DateField()
    start_time = serializers.TimeField(format="%H:%M")
    end_time = serializers.TimeField(format="%H:%M")
    place = serializers.SerializerMethodField()
    status = serializers.CharField()
    on_duty = OnDutySerializer(source="public_duties", many=True)

    def get_place(self, day) -> str:
        return day.place or day.station.address


@extend_schema(tags=["public"])
class PublicRepresentativeViewSet(PublicMixin, viewsets.ReadOnlyModelViewSet):
    """Published representatives: filter by name or work unit, level, region, station."""

    serializer_class = PublicRepresentativeSerializer
    filterset_class = PublicRepresentativeFilter

    def get_queryset(self):
        return selectors.public_representatives()


@extend_schema(tags=["public"])
class PublicStationViewSet(PublicMixin, viewsets.ReadOnlyModelViewSet):
    """Active stations: filter by region (a division code: its whole subtree) and name."""

    serializer_class = PublicStationSerializer
    filterset_class = PublicStationFilter

    def get_queryset(self):
        return selectors.public_stations()


@extend_schema(tags=["public"])
class PublicReceptionDayViewSet(PublicMixin, viewsets.ReadOnlyModelViewSet):
    """Announced reception days from today on, with who is on duty: by region, station, dates."""

    serializer_class = PublicReceptionDaySerializer
    filterset_class = PublicReceptionDayFilter

    def get_queryset(self):
        return selectors.public_reception_days()


class PlaceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()


class PlaceChildrenSerializer(PlaceSerializer):
    children = PlaceSerializer(many=True)


class PlaceStationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    region = serializers.CharField()
    region_name = serializers.CharField()


class PlaceStationsSerializer(PlaceSerializer):
    stations = PlaceStationSerializer(many=True)


class PlaceView(APIView):
    """Anonymous and not throttled: the opinion form calls it at each pick, often from
    behind one shared address (a village, a library), and the same answer goes to
    everyone. Each answer is one region's children from the cache, and an unknown code
    is one primary-key lookup that caches nothing, so a flood costs no more than the
    public pages do."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    serializer_class: type[serializers.Serializer]
    lookup: staticmethod

    def get(self, request, code: str):
        try:
            found = self.lookup(code)
        except ValidationError as error:
            return Response({"code": error.messages}, status=status.HTTP_400_BAD_REQUEST)
        if found is None:
            return Response(
                {"detail": _("No region has this division code.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        response = Response(self.serializer_class(found).data)
        response["Cache-Control"] = f"public, max-age={settings.PUBLIC_PLACES_CACHE_SECONDS}"
        return response


_PLACE_ERRORS = {
    400: OpenApiResponse(description="Not a 12-digit division code, or too broad a region"),
    404: OpenApiResponse(description="No region has this division code"),
}


@extend_schema(tags=["public"], responses={200: PlaceChildrenSerializer, **_PLACE_ERRORS})
class PublicRegionChildrenView(PlaceView):
    """A region and those of its children (counties, townships, villages) with an active
    station: the next level of the opinion form's place picker."""

    serializer_class = PlaceChildrenSerializer
    lookup = staticmethod(places.children)


@extend_schema(tags=["public"], responses={200: PlaceStationsSerializer, **_PLACE_ERRORS})
class PublicRegionStationsView(PlaceView):
    """A township or village and its active stations, its own station first. A county or
    above is refused (400): its stations are listed one township at a time."""

    serializer_class = PlaceStationsSerializer
    lookup = staticmethod(places.stations)
