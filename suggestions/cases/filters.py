import django_filters
from django.utils.translation import gettext_lazy as _

from stations.filters import RegionSubtreeFilter
from suggestions.models import Case, CaseCategory


class OutcomeFilter(django_filters.FilterSet):
    """Published outcomes by region (a division-code subtree) and category."""

    region = RegionSubtreeFilter(label=_("region"))
    category = django_filters.ModelChoiceFilter(
        label=_("category"), queryset=CaseCategory.objects.filter(active=True)
    )

    class Meta:
        model = Case
        fields = ["region", "category"]
