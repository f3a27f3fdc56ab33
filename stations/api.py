"""Visits over REST: staff in scope only, since a visit holds the constituent's personal data."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from liaison import regions
from liaison.scopes import visits_visible_to
from representatives.models import Representative
from stations.models import ReceptionDay, Station, Visit, VisitChannel
from suggestions import services


class NewestFirst(CursorPagination):
    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 100


class VisitSerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    cases = serializers.SerializerMethodField()

    class Meta:
        model = Visit
        fields = [
            "id",
            "station",
            "station_name",
            "region",
            "reception_day",
            "channel",
            "visited_at",
            "constituent_name",
            "constituent_phone",
            "constituent_address",
            "constituent_id_number",
            "people_count",
            "representatives",
            "cases",
        ]

    def get_cases(self, visit) -> list[dict]:
        return [
            {"id": case.pk, "tracking_code": case.tracking_code, "step": case.step}
            for case in visit.cases.all()
        ]


class RaisedCase(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000)


class VisitInput(serializers.Serializer):
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.filter(active=True))
    reception_day = serializers.PrimaryKeyRelatedField(
        queryset=ReceptionDay.objects.all(), required=False, default=None, allow_null=True
    )
    channel = serializers.ChoiceField(choices=VisitChannel.choices)
    visited_at = serializers.DateTimeField(required=False, default=timezone.now)
    constituent_name = serializers.CharField(max_length=50)
    constituent_phone = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default=""
    )
    constituent_address = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    constituent_id_number = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default=""
    )
    people_count = serializers.IntegerField(min_value=1, max_value=1000, default=1)
    representatives = serializers.PrimaryKeyRelatedField(
        queryset=Representative.objects.all(), many=True, required=False, default=list
    )
    cases = RaisedCase(many=True, required=False, default=list)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"


class VisitFilter(django_filters.FilterSet):
    # Labels are for the staff pages, which render this same filterset as a form.
    station = django_filters.NumberFilter(field_name="station_id", label=_("station id"))
    reception_day = django_filters.NumberFilter(
        field_name="reception_day_id", label=_("reception day id")
    )
    channel = django_filters.ChoiceFilter(label=_("channel"), choices=VisitChannel.choices)
    # The code is checked by the form, so an API call gets a 400 and a staff page a field error.
    region = django_filters.CharFilter(
        method="filter_region", label=_("region and below"), validators=[regions.validate_code]
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


class VisitViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = NewestFirst
    filterset_class = VisitFilter

    def get_queryset(self):
        return (
            visits_visible_to(self.request.user)
            .select_related("station")
            .prefetch_related("representatives", "cases")
        )

    def get_serializer_class(self):
        return VisitInput if self.action == "create" else VisitSerializer

    def create(self, request):
        """Log a visit and the cases it raises."""
        data = VisitInput(data=request.data)
        data.is_valid(raise_exception=True)
        visit = services.visit_record(actor=request.user, **data.validated_data)
        fresh = self.get_queryset().get(pk=visit.pk)
        return Response(VisitSerializer(fresh).data, status=status.HTTP_201_CREATED)
