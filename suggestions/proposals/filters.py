"""The suggestion list filters, shared by the API and the staff lists (hence the labels)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from liaison.base.filtering import YesNoFilter
from liaison.base.pickers import PickerSelect, names_of
from suggestions.cases.filters import CategorySelect, DateInput
from suggestions.proposals import selectors
from suggestions.proposals.models import (
    Session,
    Suggestion,
    SuggestionStep,
)


class SuggestionFilter(django_filters.FilterSet):
    """The API's filters, also the staff lists' (hence the labels)."""

    step = django_filters.MultipleChoiceFilter(label=_("step"), choices=SuggestionStep.choices)
    year = django_filters.NumberFilter(label=_("year"))
    session = django_filters.ChoiceFilter(label=_("filed"), choices=Session.choices)
    category = django_filters.NumberFilter(
        field_name="category_id", label=_("category"), widget=CategorySelect
    )
    unit = django_filters.NumberFilter(
        method="filter_unit",
        label=_("lead or co-unit"),
        widget=PickerSelect("staff:pick-units", labels=names_of("suggestions.HandlingUnit")),
    )
    representative = django_filters.NumberFilter(
        method="filter_representative",
        label=_("signed by"),
        widget=PickerSelect(
            "staff:pick-representatives", labels=names_of("representatives.Representative")
        ),
    )
    # A representative's figures open the suggestions received in their period with these.
    received_after = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label=_("received from"), widget=DateInput
    )
    received_before = django_filters.DateFilter(
        field_name="received_on", lookup_expr="lte", label=_("received until"), widget=DateInput
    )
    is_key = YesNoFilter(label=_("key suggestion"))
    published = YesNoFilter(label=_("published"))
    excellent = YesNoFilter(label=_("excellent suggestion of the year"))
    overdue = YesNoFilter(method="filter_overdue", label=_("overdue"))
    number = django_filters.CharFilter(label=_("number"))

    class Meta:
        model = Suggestion
        fields = []

    def filter_unit(self, queryset, name, value):
        return selectors.handled_by(queryset, unit_id=value)

    def filter_representative(self, queryset, name, value):
        return selectors.signed_by(queryset, representative_id=value)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.overdue() if value else queryset.not_overdue()
