"""The public home page's figures, by period and region, from the same definitions and
roll-ups as the dashboards: two aggregate queries, cached for
``PUBLIC_FIGURES_CACHE_SECONDS``. Only counts: nothing about any person."""

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from figures import selectors
from figures.periods import Period, everything, month, year
from figures.scopes import Place
from liaison.base.models import Region
from liaison.base.public_cache import figures_period


class PublicPeriodForm(forms.Form):
    """A year, and optionally a month of it; nothing chosen is all time."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    month = forms.TypedChoiceField(
        label=_("Month"),
        coerce=int,
        required=False,
        choices=[("", _("Whole year")), *((n, f"{n}月") for n in range(1, 13))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this = timezone.localdate().year
        self.fields["year"].choices = [("", _("All time"))] + [
            (n, f"{n}年") for n in range(this, this - 6, -1)
        ]

    def get_period(self) -> Period:
        data = self.cleaned_data if self.is_valid() else {}
        if not data.get("year"):
            return everything()
        if data.get("month"):
            return month(data["year"], data["month"])
        return year(data["year"])


def public_figures(*, region: Region | None = None, period: Period | None = None) -> dict:
    period = period or everything()
    # Per period of PUBLIC_FIGURES_CACHE_SECONDS, as the cached public pages that show them
    # (liaison/base/public_cache.py): a page is never older than its figures' period.
    where = region.code if region else "all"
    key = f"public-figures:{figures_period()}:{where}:{period.start}:{period.end}"
    figures = cache.get(key)
    if figures is not None:
        return figures
    place = Place("region", region=region)
    cases = selectors.case_rows(place, period).aggregate(
        **selectors.sums(["collected", "assigned", "completed", "solved", "rated", "satisfied"])
    )
    people = selectors.station_rows(place, period).aggregate(**selectors.sums(["people"]))
    figures = {**people, **cases}
    rate = selectors.percent(figures["satisfied"], figures["rated"])
    figures["satisfaction"] = float(rate) if rate is not None else None
    cache.set(key, figures, settings.PUBLIC_FIGURES_CACHE_SECONDS)
    return figures
