"""Pieces the filtersets of every app share (the API's and the staff lists')."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend


class AnyYesNo(forms.NullBooleanSelect):
    """A yes/no filter whose empty choice reads "any", not Django's "unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("Any")), ("true", _("Yes")), ("false", _("No"))]


class YesNoFilter(django_filters.BooleanFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AnyYesNo)
        super().__init__(*args, **kwargs)


def filters_asked(filterset_class, params) -> bool:
    """Whether the query names any filter of the filterset (or a part of one, such as a
    range's ``name_after``). Without one the filterset filters nothing: its form, 25
    deep-copied fields, need not be built."""
    names = tuple(filterset_class.base_filters)
    return any(key.startswith(names) for key in params)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend that skips building and validating the filterset when the
    query names none of its filters (only ``page_size``, ``cursor``…): the same rows."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not filters_asked(filterset_class, request.GET):
            return queryset
        return super().filter_queryset(request, queryset, view)
