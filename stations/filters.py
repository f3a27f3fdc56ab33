import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from liaison.models import Region
from liaison.regions import RegionLevel, within
from representatives.models import CongressLevel, Representative
from stations.models import ReceptionDay, Station, StationMembership


def _region_choices():
    levels = [RegionLevel.COUNTY, RegionLevel.TOWNSHIP]
    return [(r.code, r.name) for r in Region.objects.filter(level__in=levels).only("code", "name")]


@extend_schema_field(OpenApiTypes.STR)
class RegionSubtreeFilter(django_filters.ChoiceFilter):
    """A county or township and everything below it: a range on the division code."""

    def __init__(self, *args, lookup="region", **kwargs):
        self.lookup = lookup
        super().__init__(*args, choices=_region_choices, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        region = Region.objects.filter(code=value).only("code", "level").first()
        if region is None:
            return queryset.none()
        return queryset.filter(within(self.lookup, region.bounds))


@extend_schema_field(OpenApiTypes.INT)
class StationFilter(django_filters.ModelChoiceFilter):
    """A station by id (typed for the OpenAPI schema, which cannot guess it)."""


class PublicRepresentativeFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Name or work unit"), method="filter_name")
    level = django_filters.ChoiceFilter(label=_("congress level"), choices=CongressLevel.choices)
    region = RegionSubtreeFilter(label=_("region"), lookup="station_memberships__station__region")
    station = StationFilter(
        label=_("station"), queryset=Station.objects.active(), method="filter_station"
    )

    class Meta:
        model = Representative
        fields = ["name", "level", "region", "station"]

    def filter_name(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__contains=value) | Q(work_unit__contains=value))

    def filter_station(self, queryset, name, value):
        sitting = StationMembership.objects.current().filter(station=value)
        return queryset.filter(pk__in=sitting.values("representative_id"))

    @property
    def qs(self):
        # The region filter follows memberships, which can repeat a representative.
        queryset = super().qs
        if self.form.cleaned_data.get("region"):
            return queryset.filter(pk__in=queryset.values("pk")).order_by("level", "name", "id")
        return queryset


class PublicStationFilter(django_filters.FilterSet):
    region = RegionSubtreeFilter(label=_("region"))
    name = django_filters.CharFilter(label=_("name"), lookup_expr="contains")

    class Meta:
        model = Station
        fields = ["region", "name"]


class PublicReceptionDayFilter(django_filters.FilterSet):
    """Coming reception days by region (home page, public API)."""

    region = RegionSubtreeFilter(label=_("region"), lookup="station__region")
    station = django_filters.ModelChoiceFilter(
        label=_("station"), queryset=Station.objects.active()
    )
    start = django_filters.DateFilter(label=_("from"), field_name="date", lookup_expr="gte")
    end = django_filters.DateFilter(label=_("until"), field_name="date", lookup_expr="lte")

    class Meta:
        model = ReceptionDay
        fields = ["region", "station", "start", "end"]
