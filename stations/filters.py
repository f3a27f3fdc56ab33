import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from liaison.base import regions
from liaison.base.models import Region
from liaison.base.pickers import PickerSelect, names_of
from liaison.base.regions import validate_code, within
from representatives.models import CongressLevel, Representative
from stations.models import ReceptionDay, Station, StationMembership, Visit, VisitChannel
from stations.scopes import visits_received_by


class RegionCodeField(forms.CharField):
    """A division code naming a known region, cleaned to that region.

    The format is checked first, then one lookup by primary key: never the list of all
    regions, which runs to thousands of townships in a province.
    """

    default_error_messages = {"unknown": _("No region has this division code.")}

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        validate_code(value)
        region = Region.objects.filter(code=value).only("code", "name", "level").first()
        if region is None:
            raise ValidationError(self.error_messages["unknown"], code="unknown")
        return region


@extend_schema_field(OpenApiTypes.STR)
class RegionSubtreeFilter(django_filters.Filter):
    """A region (by division code) and everything below it: a range on the code."""

    field_class = RegionCodeField

    def __init__(self, *args, lookup="region", **kwargs):
        self.lookup = lookup
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(within(self.lookup, value.bounds))


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


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class VisitFilter(django_filters.FilterSet):
    # Labels are for the staff pages, which render this same filterset as a form.
    # Pickers by name on the staff pages (liaison/base/pickers.py); ids and codes in the API.
    station = django_filters.NumberFilter(
        field_name="station_id",
        label=_("station"),
        widget=PickerSelect("staff:pick-stations", labels=names_of("stations.Station")),
    )
    # Set by the reception day's link to its visits, never typed.
    reception_day = django_filters.NumberFilter(
        field_name="reception_day_id", label=_("reception day"), widget=forms.HiddenInput
    )
    channel = django_filters.ChoiceFilter(label=_("channel"), choices=VisitChannel.choices)
    # A representative's figures open their visits with it (figures/representatives.py).
    representative = django_filters.NumberFilter(
        method="filter_representative",
        label=_("received by representative"),
        widget=PickerSelect(
            "staff:pick-representatives", labels=names_of("representatives.Representative")
        ),
    )
    # The code is checked by the form, so an API call gets a 400 and a staff page a field error.
    region = django_filters.CharFilter(
        method="filter_region",
        label=_("region and below"),
        validators=[regions.validate_code],
        widget=PickerSelect("staff:pick-regions", labels=names_of("liaison.Region", key="code")),
    )
    visited_after = django_filters.DateTimeFilter(
        field_name="visited_at", lookup_expr="gte", label=_("visited from"), widget=DateTimeInput
    )
    visited_before = django_filters.DateTimeFilter(
        field_name="visited_at", lookup_expr="lt", label=_("visited before"), widget=DateTimeInput
    )

    class Meta:
        model = Visit
        fields = []

    def filter_region(self, queryset, name, value):
        return queryset.filter(regions.within("region_id", regions.subtree_bounds(value)))

    def filter_representative(self, queryset, name, value):
        return queryset.filter(pk__in=visits_received_by(value))
