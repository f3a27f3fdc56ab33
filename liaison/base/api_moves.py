"""One POST endpoint per transition of a flow (cases, suggestions): the same shape for both.

The endpoint fetches the object through the viewset's scoped queryset (404 out of
scope), validates the input (400 with field errors), calls the transition's service
(409 for an illegal or concurrent move, via liaison/api_errors.py), and answers with
the object's detail as the user now sees it.
"""

import keyword
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response


def move_endpoint(
    name: str,
    input_class,
    service: Callable,
    *,
    id_argument: str,
    detail: Callable,
    serializer_class,
    errors: dict,
    prepare: Callable | None = None,
):
    """``detail(user=...)`` is the scoped detail queryset; ``prepare(request, kwargs)``
    turns validated input into the service's keywords (e.g. an id into an object)."""

    def move(self, request, pk=None):
        obj = self.get_object()
        data = input_class(data=request.data)
        data.is_valid(raise_exception=True)
        kwargs = dict(data.validated_data)
        if prepare:
            kwargs = prepare(request, kwargs)
        service(**{id_argument: obj.pk}, actor=request.user, **kwargs)
        fresh = detail(user=request.user).get(pk=obj.pk)
        return Response(serializer_class(fresh, context={"request": request}).data)

    # "return" is a Python keyword: the method is return_, the URL stays /return/.
    move.__name__ = f"{name}_" if keyword.iskeyword(name) else name
    move.__doc__ = (service.__doc__ or name).strip().splitlines()[0]
    routed = action(
        detail=True, methods=["post"], url_path=name.replace("_", "-"), serializer_class=input_class
    )(move)
    return extend_schema(request=input_class, responses={200: serializer_class, **errors})(routed)


@dataclass(frozen=True)
class MoveEndpoints:
    """A flow's move endpoints: ``endpoint(name, input, service)`` in its viewset, each
    documented with the same refusals (``errors``)."""

    id_argument: str  # the services' keyword for the row's id, e.g. "case_id"
    detail: Callable
    serializer_class: type
    missing: str  # the 404's description: "No such case in your scope"

    @property
    def errors(self) -> dict:
        return {
            400: OpenApiResponse(description=_("Field errors")),
            403: OpenApiResponse(description=_("Not this user's move")),
            404: OpenApiResponse(description=self.missing),
            409: OpenApiResponse(description=_("Illegal or concurrent transition")),
        }

    def endpoint(self, name: str, input_class, service: Callable, prepare: Callable | None = None):
        return move_endpoint(
            name,
            input_class,
            service,
            id_argument=self.id_argument,
            detail=self.detail,
            serializer_class=self.serializer_class,
            errors=self.errors,
            prepare=prepare,
        )


def target_in(visible: Callable, *, field: str, missing: str) -> Callable:
    """A ``prepare`` that turns the id in ``field`` into ``<field>_id`` if the user may see
    that row (``visible(user)`` is a queryset); otherwise a field error — a row out of
    scope is "no such row", never a hint that it exists."""

    def prepare(request, kwargs):
        target = kwargs.pop(field)
        if not visible(request.user).filter(pk=target).exists():
            raise serializers.ValidationError({field: [missing]})
        return {**kwargs, f"{field}_id": target}

    return prepare
