"""Case status and the constituent's rating over the public API: a tracking code plus the
last 4 digits of the phone, with the page's rate limits. Never any constituent field."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.base.flow import FlowError
from liaison.base.ratelimit import PublicThrottle, exceeded, hit
from suggestions.cases import online, selectors, services
from suggestions.cases.models import Satisfaction, Step
from suggestions.cases.online import status_limits


class StatusQuery(serializers.Serializer):
    code = serializers.CharField(max_length=30)
    check = serializers.CharField(max_length=8)


class PublicStepSerializer(serializers.Serializer):
    step = serializers.CharField(source="to_step")
    step_label = serializers.CharField(source="get_to_step_display")
    at = serializers.DateTimeField()


class PublicCaseStatusSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    title = serializers.CharField()
    step = serializers.CharField()
    step_label = serializers.CharField(source="get_step_display")
    station_name = serializers.CharField(source="station.name")
    category_name = serializers.CharField(source="category.name", default=None)
    lead_unit_name = serializers.CharField(source="lead_unit.name", default=None)
    deadline = serializers.SerializerMethodField()
    result = serializers.CharField()
    result_label = serializers.CharField(source="get_result_display")
    public_summary = serializers.SerializerMethodField()
    public_reply = serializers.CharField()
    next_reply_on = serializers.SerializerMethodField()
    conclusion = serializers.CharField()
    concluded_at = serializers.DateTimeField()
    rated = serializers.SerializerMethodField()
    steps = PublicStepSerializer(source="public_events", many=True)

    def get_next_reply_on(self, case) -> str | None:
        return case.deadline.isoformat() if case.step == Step.FOLLOW_UP and case.deadline else None

    def get_rated(self, case) -> str | None:
        """The constituent's own rating of the current reply, if given."""
        return case.own_rating

    def get_deadline(self, case) -> str | None:
        return None if case.is_closed or not case.deadline else case.deadline.isoformat()

    def get_public_summary(self, case) -> str:
        return case.public_summary if case.published else ""


class PublicCaseStatusView(APIView):
    """POST, not GET: the check never lands in a URL, a proxy log or a browser history."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]
    throttle_scope = "public_case_status"

    @extend_schema(
        tags=["public"],
        request=StatusQuery,
        responses={
            200: PublicCaseStatusSerializer,
            400: OpenApiResponse(description="Malformed input, with field errors."),
            404: OpenApiResponse(description="No case has this code and check."),
            429: OpenApiResponse(description="Too many attempts."),
        },
    )
    def post(self, request):
        query = StatusQuery(data=request.data)
        query.is_valid(raise_exception=True)
        _per_ip, per_code = status_limits()
        lookup = online.case_status_lookup(**query.validated_data)
        if lookup.code and exceeded(per_code, lookup.code):
            raise Throttled(detail=_("Too many attempts. Please wait a while and try again."))
        if lookup.case is None:
            if lookup.code:
                hit(per_code, lookup.code)
            return Response(
                {"detail": _("No case matches this tracking code and check.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        case = selectors.with_public_steps(lookup.case)
        return Response(PublicCaseStatusSerializer(case).data)


class RatingQuery(StatusQuery):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PublicCaseRatingView(APIView):
    """The constituent rates the reply to their case once (code and check, as the lookup)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicThrottle]
    throttle_scope = "public_case_status"

    @extend_schema(
        tags=["public"],
        request=RatingQuery,
        responses={
            200: PublicCaseStatusSerializer,
            400: OpenApiResponse(description="Malformed input, with field errors."),
            404: OpenApiResponse(description="No case has this code and check."),
            409: OpenApiResponse(description="Not waiting for a rating, or already rated."),
            429: OpenApiResponse(description="Too many attempts."),
        },
    )
    def post(self, request):
        query = RatingQuery(data=request.data)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        _per_ip, per_code = status_limits()
        lookup = online.case_status_lookup(code=data["code"], check=data["check"])
        if lookup.code and exceeded(per_code, lookup.code):
            raise Throttled(detail=_("Too many attempts. Please wait a while and try again."))
        if lookup.case is None:
            if lookup.code:
                hit(per_code, lookup.code)
            return Response(
                {"detail": _("No case matches this tracking code and check.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        try:
            services.case_rate(
                case_id=lookup.case.pk, satisfaction=data["satisfaction"], comment=data["comment"]
            )
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        except FlowError as error:
            return Response({"detail": error.message}, status=status.HTTP_409_CONFLICT)
        case = selectors.public_case_status(lookup.case.pk)
        return Response(PublicCaseStatusSerializer(case).data)
