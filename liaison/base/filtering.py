"""Pieces the filtersets of every app share (the API's and the staff lists')."""

import copy

import django_filters
from django import forms
from django.http import QueryDict
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


class LazyFilterSet(django_filters.FilterSet):
    """A FilterSet that deep-copies its class's filters when it first reads them, not
    when it is made. A list page that asks no filter filters nothing and shows the blank
    form rendered once (liaison/wiring/templatetags/staff.py): it never reads them, and
    the case list's 25 filters cost half a millisecond to copy. ``__init__`` is
    django-filter's own but for that copy (tests/test_filtering.py holds it to the
    library's)."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self._filters = None

    @property
    def filters(self) -> dict:
        if self._filters is None:
            filters = copy.deepcopy(self.base_filters)
            # What django-filter's __init__ gives each filter: the model and the filterset.
            for filter_ in filters.values():
                filter_.model = self.queryset.model
                filter_.parent = self
            self._filters = filters
        return self._filters

    @filters.setter
    def filters(self, filters: dict) -> None:
        self._filters = filters
