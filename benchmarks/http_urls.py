"""The product's URLs plus the yardstick of benchmarks/http_budget.py: a view that runs
one primary-key query and renders a tiny template, behind the same middleware."""

from django.shortcuts import get_object_or_404
from django.template import engines
from django.template.response import TemplateResponse
from django.urls import include, path

from suggestions.models import Case

handler500 = "liaison.base.errors.server_error"

TINY = engines["django"].from_string(
    "<!doctype html><title>{{ case.tracking_code }}</title>"
    "<h1>{{ case.title }}</h1><p>{{ case.received_at|date:'Y-m-d H:i' }}</p>"
)


def one_query(request, pk: int):
    case = get_object_or_404(Case.objects.only("tracking_code", "title", "received_at"), pk=pk)
    return TemplateResponse(request, TINY, {"case": case})


urlpatterns = [
    path("__one_query__/<int:pk>/", one_query, name="benchmark-one-query"),
    path("", include("liaison.wiring.urls")),
]
