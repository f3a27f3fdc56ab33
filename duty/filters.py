"""The activity list's filters (every one on an index: kind and date, status and region)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from duty.models import Activity, ActivityKind, ActivityStatus


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=ActivityKind.choices)
    status = django_filters.ChoiceFilter(label=_("status"), choices=ActivityStatus.choices)
    date_from = django_filters.DateFilter(
        label=_("from"),
        field_name="date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("until"),
        field_name="date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Activity
        fields = ["kind", "status", "date_from", "date_to"]
