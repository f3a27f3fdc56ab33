"""``LazyFilterSet`` is django-filter's FilterSet but for when it copies its filters."""

import django_filters
import pytest
from django.http import QueryDict

from liaison.base.filtering import LazyFilterSet
from suggestions.cases.filters import CaseFilter
from suggestions.models import Case

pytestmark = pytest.mark.django_db


class Plain(django_filters.FilterSet):
    step = django_filters.CharFilter()

    class Meta:
        model = Case
        fields = []


class Lazy(LazyFilterSet):
    step = django_filters.CharFilter()

    class Meta:
        model = Case
        fields = []


def test_it_sets_what_the_librarys_init_sets():
    data = QueryDict("step=handle")
    plain, lazy = Plain(data, request=None), Lazy(data, request=None)
    lazy.filters  # noqa: B018 (read once: the copy is made)
    assert set(vars(plain)) == set(vars(lazy)) - {"_filters"} | {"filters"}
    for name in ("is_bound", "data", "request", "form_prefix"):
        assert getattr(plain, name) == getattr(lazy, name)
    assert lazy.filters["step"].model is Case and lazy.filters["step"].parent is lazy
    assert lazy.filters["step"] is not Lazy.base_filters["step"]
    assert str(plain.qs.query) == str(lazy.qs.query)


def test_a_filterset_that_reads_nothing_copies_nothing():
    blank = CaseFilter(None, queryset=Case.objects.all())
    assert blank._filters is None and not blank.is_bound
    asked = CaseFilter(QueryDict("is_key=true"), queryset=Case.objects.all())
    assert asked.is_valid() and "is_key" in str(asked.qs.query)
    assert asked._filters is not None
