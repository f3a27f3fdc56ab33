"""Visits over REST: staff in scope only, since a visit holds the constituent's personal data.

A visit is logged with the cases it raises (``services.visit_record``), hence here."""

from django.utils import timezone
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from liaison.base.audit import audit_read
from liaison.base.input_guard import IdField
from liaison.base.pagination import NewestFirst
from representatives.models import Representative
from stations.filters import VisitFilter
from stations.models import ReceptionDay, Station, Visit, VisitChannel
from stations.scopes import visits_visible_to
from suggestions.cases import services


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
    station = IdField(queryset=Station.objects.filter(active=True))
    reception_day = IdField(
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
    representatives = IdField(
        queryset=Representative.objects.all(), many=True, required=False, default=list
    )
    cases = RaisedCase(many=True, required=False, default=list)


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

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit_read(request, object_type="stations.visit", object_id=kwargs["pk"], detail="api")
        return response

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        ids = ",".join(str(row["id"]) for row in response.data.get("results", []))
        audit_read(request, object_type="stations.visit", object_id=ids, detail="api list")
        return response

    def create(self, request):
        """Log a visit and the cases it raises."""
        data = VisitInput(data=request.data)
        data.is_valid(raise_exception=True)
        visit = services.visit_record(actor=request.user, **data.validated_data)
        fresh = self.get_queryset().get(pk=visit.pk)
        return Response(VisitSerializer(fresh).data, status=status.HTTP_201_CREATED)
