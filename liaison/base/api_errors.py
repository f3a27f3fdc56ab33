"""The API's answer to a refused move: 400 field errors, 403, 404, 409, in the user's language."""

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from liaison.base.flow import Conflict, IllegalTransition, NotAllowed


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        body = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, NotAllowed):
        return Response(
            {"detail": str(exc.message), "code": "not_allowed"}, status=status.HTTP_403_FORBIDDEN
        )
    if isinstance(exc, Conflict):
        code = "illegal_transition" if isinstance(exc, IllegalTransition) else "conflict"
        return Response({"detail": str(exc.message), "code": code}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ObjectDoesNotExist):
        return drf_exception_handler(NotFound(), context)
    return drf_exception_handler(exc, context)
