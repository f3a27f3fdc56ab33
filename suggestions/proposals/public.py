"""The public pages: published suggestions with their replies and ratings, and the
year's excellent suggestions. Nothing unpublished is ever found here."""

import django_filters
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suggestions.models import CaseCategory
from suggestions.proposals import selectors

PAGE_SIZE = 30


class PublicSuggestionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label=_("Title contains")
    )
    year = django_filters.NumberFilter(label=_("Year"))
    category = django_filters.ModelChoiceFilter(
        queryset=CaseCategory.objects.filter(active=True), label=_("Category")
    )


def suggestion_list(request):
    filterset = PublicSuggestionFilter(request.GET, queryset=selectors.public_suggestions())
    year = filterset.form.cleaned_data.get("year") if filterset.is_valid() else None
    year = year or timezone.localdate().year
    return render(
        request,
        "public/suggestion_list.html",
        {
            "filter": filterset,
            "page": Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "excellent": selectors.excellent(year=year)[:10],
            "excellent_year": year,
        },
    )


def suggestion_detail(request, pk: int):
    suggestion = get_object_or_404(selectors.public_suggestion_detail(), pk=pk)
    rounds: dict[int, dict] = {}
    for reply in suggestion.replies.all():
        rounds.setdefault(reply.round, {"replies": [], "ratings": []})["replies"].append(reply)
    for rating in suggestion.ratings.all():
        rounds.setdefault(rating.round, {"replies": [], "ratings": []})["ratings"].append(rating)
    return render(
        request,
        "public/suggestion_detail.html",
        {"suggestion": suggestion, "rounds": sorted(rounds.items())},
    )
