"""The token endpoint: ``POST /api/v1/auth/token/`` with the staff login's username and
password (and the two-factor code of whoever has a device) issues a token
(liaison/base/api_tokens.py), under the same lockout as the login; ``DELETE`` with the
token revokes it. An administrator or committee member who has not enrolled a second
factor gets no token: the password alone would go round it."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from liaison.base import api_tokens, lockout
from liaison.base.api_tokens import ApiToken, HashedTokenAuthentication
from liaison.base.audit import AuditAction, audit
from liaison.base.lockout import LockoutAuthenticationForm
from liaison.base.passwords import password_expired
from liaison.base.totp import confirmed_device
from liaison.wiring.staff.two_factor import requires_two_factor


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    code = serializers.CharField(max_length=8, required=False, allow_blank=True)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True)


TokenAnswer = inline_serializer(
    "IssuedToken",
    {
        "token": serializers.CharField(),
        "expires": serializers.DateTimeField(),
        "name": serializers.CharField(),
    },
)


def _no_store(response: Response) -> Response:
    response["Cache-Control"] = "no-store"
    return response


def _refused(request, user, detail: str) -> Response:
    """A login that may not have a token (no second factor, an expired password)."""
    audit(action=AuditAction.TOKEN, user=user, request=request, result="refused")
    return _no_store(Response({"detail": detail}, status=status.HTTP_403_FORBIDDEN))


class TokenView(APIView):
    authentication_classes = [HashedTokenAuthentication]

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(request=TokenRequestSerializer, responses={201: TokenAnswer})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        username, code = data.validated_data["username"], data.validated_data.get("code", "")
        if lockout.locked(request, username):
            audit(
                action=AuditAction.LOGIN_FAILED, request=request, username=username, result="locked"
            )
            return _no_store(
                Response(
                    {"detail": LockoutAuthenticationForm.error_messages["locked"]},
                    status=status.HTTP_403_FORBIDDEN,
                )
            )
        user = authenticate(
            request._request, username=username, password=data.validated_data["password"]
        )
        if user is None:
            # authenticate() has recorded the failure in the audit (security_events.py).
            lockout.failed(request, username)
            return _no_store(
                Response(
                    {"detail": _("Wrong username or password.")},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            )
        device = confirmed_device(user)
        if device is None and requires_two_factor(user):
            return _refused(
                request,
                user,
                _(
                    "Set up two-factor login on the staff site (/staff/two-factor/) "
                    "before asking for an API token."
                ),
            )
        if device is not None and not device.accept(code):
            lockout.failed(request, username)
            audit(action=AuditAction.TWO_FACTOR, user=user, request=request, result="refused")
            return _no_store(
                Response(
                    {"code": [_("That code is wrong or already used.")]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
            )
        lockout.succeeded(request, username)
        if password_expired(user):
            return _refused(
                request,
                user,
                _(
                    "Your password has expired: change it on the staff site "
                    "(/staff/password/) before asking for an API token."
                ),
            )
        token, key = api_tokens.issue(user, name=data.validated_data.get("name", ""))
        audit(action=AuditAction.TOKEN, user=user, request=request, obj=token, detail="issued")
        return _no_store(
            Response(
                {"token": key, "expires": token.expires_at, "name": token.name},
                status=status.HTTP_201_CREATED,
            )
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        """Revokes the token this request carries (the view authenticates by token only)."""
        api_tokens.revoke(ApiToken.objects.filter(pk=request.auth.pk))
        audit(action=AuditAction.TOKEN, request=request, obj=request.auth, detail="revoked")
        return Response(status=status.HTTP_204_NO_CONTENT)
