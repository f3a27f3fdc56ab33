"""Case list filters: the public outcomes' and the staff lists' and API's (labelled for the pages)."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base import auth, regions
from liaison.base.compiled import CompiledQuery
from liaison.base.filtering import LazyFilterSet, YesNoFilter, filters_asked
from liaison.base.jurisdiction import settings_for
from liaison.base.models import JurisdictionSettings
from liaison.base.pickers import PickerSelect, names_of
from liaison.base.validators import validate_plain_text
from stations.filters import RegionSubtreeFilter
from stations.models import Visit
from stations.scopes import visits_received_by, visits_visible_to
from suggestions.cases import selectors
from suggestions.cases.search import cases_matching
from suggestions.cases.selectors import ASSIGNED
from suggestions.models import (
    CLOSED_STEPS,
    Case,
    CaseCategory,
    ReplyResult,
    Satisfaction,
    Step,
)


class OutcomeFilter(django_filters.FilterSet):
    """Published outcomes by region (a division-code subtree) and category."""

    region = RegionSubtreeFilter(label=_("region"))
    category = django_filters.ModelChoiceFilter(
        label=_("category"), queryset=CaseCategory.objects.filter(active=True)
    )

    class Meta:
        model = Case
        fields = ["region", "category"]


class DateInput(forms.DateInput):
    input_type = "date"


class CategorySelect(forms.Select):
    """The category id as a choice of the active categories, read when rendered unless
    the filterset gave them (``categories``: read with the request's user)."""

    categories = None

    def get_context(self, name, value, attrs):
        pairs = self.categories
        if pairs is None:
            pairs = CaseCategory.objects.filter(active=True).values_list("pk", "name")
        self.choices = [("", "---------"), *pairs]
        return super().get_context(name, value, attrs)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


STATES = [("open", _("open cases")), ("closed", _("closed cases"))]


class CaseFilter(LazyFilterSet):
    # Labels are for the staff pages, which render this same filterset as a form.
    q = django_filters.CharFilter(
        method="filter_q",
        label=_("tracking code, keyword, phone or name"),
        max_length=100,
        validators=[validate_plain_text],
    )
    # distinct=False: these filter the case's own columns, so no case comes twice, and a
    # DISTINCT would stop the unit list's halves from being ordered (handled.py).
    step = django_filters.MultipleChoiceFilter(
        label=_("step"), choices=Step.choices, distinct=False
    )
    # Open or closed (archived, merged, withdrawn); absent is everything, except on the
    # unit's page (UnitCaseFilter), which opens on the work still open.
    state = django_filters.ChoiceFilter(
        label=_("Show"), choices=STATES, method="filter_state", empty_label=_("all cases")
    )
    category = django_filters.NumberFilter(
        field_name="category_id", label=_("category"), widget=CategorySelect
    )
    # Pickers by name on the staff pages (liaison/base/pickers.py); ids and codes in the API.
    station = django_filters.NumberFilter(
        field_name="station_id",
        label=_("station"),
        widget=PickerSelect("staff:pick-stations", labels=names_of("stations.Station")),
    )
    # The code is checked by the form, so an API call gets a 400 and a staff page a field error.
    region = django_filters.CharFilter(
        method="filter_region",
        label=_("region and below"),
        validators=[regions.validate_code],
        widget=PickerSelect("staff:pick-regions", labels=names_of("liaison.Region", key="code")),
    )
    unit = django_filters.NumberFilter(
        method="filter_unit",
        label=_("lead or co-unit"),
        widget=PickerSelect("staff:pick-units", labels=names_of("suggestions.HandlingUnit")),
    )
    # A representative's figures (figures/representatives.py) open their cases with it.
    representative = django_filters.NumberFilter(
        method="filter_representative",
        label=_("received by representative"),
        widget=PickerSelect(
            "staff:pick-representatives", labels=names_of("representatives.Representative")
        ),
    )
    waiting = YesNoFilter(method="filter_waiting", label=_("waiting for me"))
    overdue = YesNoFilter(method="filter_overdue", label=_("overdue"))
    due_soon = YesNoFilter(method="filter_due_soon", label=_("due soon"))
    is_key = YesNoFilter(label=_("key case"))
    received_after = django_filters.DateFilter(
        method="filter_received_after", label=_("received from"), widget=DateInput
    )
    received_before = django_filters.DateFilter(
        method="filter_received_before", label=_("received until"), widget=DateInput
    )
    # What the figures count (figures/definitions.py): each figure's drill-down link sets
    # these, so the list shows exactly the cases behind the number.
    lead_unit = django_filters.NumberFilter(field_name="lead_unit_id", label=_("lead unit"))
    merged = YesNoFilter(method="filter_merged", label=_("merged into another"))
    assigned = YesNoFilter(method="filter_assigned", label=_("assigned or transferred"))
    replied = YesNoFilter(
        field_name="replied_at", lookup_expr="isnull", exclude=True, label=_("completed (replied)")
    )
    result = django_filters.MultipleChoiceFilter(
        label=_("result"), choices=ReplyResult.choices, distinct=False
    )
    on_time = YesNoFilter(field_name="replied_on_time", label=_("replied on time"))
    # Replies whose timeliness is known (the on-time rate's base): not those answered
    # before it was recorded and never filled in from their history.
    timed = YesNoFilter(
        field_name="replied_on_time",
        lookup_expr="isnull",
        exclude=True,
        label=_("timeliness known"),
    )
    rated = YesNoFilter(field_name="satisfaction", method="filter_rated", label=_("rated"))
    satisfaction = django_filters.MultipleChoiceFilter(
        label=_("satisfaction"), choices=Satisfaction.choices, distinct=False
    )
    rehandled = YesNoFilter(method="filter_rehandled", label=_("re-handled"))
    deadline_after = django_filters.DateFilter(
        field_name="deadline", lookup_expr="gte", label=_("deadline from"), widget=DateInput
    )
    deadline_before = django_filters.DateFilter(
        field_name="deadline", lookup_expr="lte", label=_("deadline until"), widget=DateInput
    )

    class Meta:
        model = Case
        fields = []

    def form_key(self) -> tuple:
        """What the blank form shows besides its labels: the active categories (the only
        widget that reads the database when nothing is chosen), read with the request's
        user (``categories_read``). The staff pages keep one rendering per key
        (liaison/wiring/templatetags/staff.py)."""
        user = getattr(self.request, "user", None)
        found = auth.read_with(user, "active_categories")
        if found is auth.NOT_READ:
            return tuple(_ACTIVE_CATEGORIES.rows(0))
        return tuple(auth.rows_of(found))

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            if "category" in form.fields:
                form.fields["category"].widget.categories = self.form_key()
        return self._form

    def filter_q(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        visits = visits_visible_to(user) if user is not None else Visit.objects.none()
        return cases_matching(queryset, visits, value)

    def filter_state(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == "closed":
            return queryset.filter(step__in=CLOSED_STEPS)
        return queryset

    def filter_region(self, queryset, name, value):
        return queryset.filter(regions.within("region_id", regions.subtree_bounds(value)))

    def filter_representative(self, queryset, name, value):
        return queryset.filter(visit_id__in=visits_received_by(value))

    def filter_merged(self, queryset, name, value):
        if value is None:
            return queryset
        merged = Q(step=Step.MERGED)
        return queryset.filter(merged) if value else queryset.exclude(merged)

    def filter_assigned(self, queryset, name, value):
        if value is None:
            return queryset
        assigned = Q(disposition__in=ASSIGNED)
        return queryset.filter(assigned) if value else queryset.exclude(assigned)

    def filter_rated(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(satisfaction="") if value else queryset.filter(satisfaction="")

    def filter_rehandled(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(reopen_count__gt=0) if value else queryset.filter(reopen_count=0)

    def filter_waiting(self, queryset, name, value):
        if value is None:
            return queryset
        user = getattr(self.request, "user", None)
        waiting = selectors.waiting_for(user).values("pk")
        return queryset.filter(pk__in=waiting) if value else queryset.exclude(pk__in=waiting)

    def filter_unit(self, queryset, name, value):
        return selectors.handled_by(queryset, unit_id=value)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.overdue() if value else queryset.not_overdue()

    def filter_due_soon(self, queryset, name, value):
        if not value:
            return queryset
        region = self.data.get("region")
        rules = settings_for(region) if region else JurisdictionSettings()
        return selectors.due_soon(queryset, workdays=rules.due_soon_workdays)

    def filter_received_after(self, queryset, name, value):
        return queryset.filter(received_at__gte=_day_start(value))

    def filter_received_before(self, queryset, name, value):
        return queryset.filter(received_at__lt=_day_start(value + dt.timedelta(days=1)))


class UnitCaseFilter(CaseFilter):
    """The unit page's filters: the open cases unless ``state`` says otherwise."""

    state = django_filters.ChoiceFilter(
        label=_("Show"),
        choices=[*STATES, ("all", _("all cases"))],
        method="filter_state",
        empty_label=None,
    )

    def __init__(self, data=None, *args, **kwargs):
        # What the query itself asked: with no filter in it the page shows the blank form
        # rendered once (liaison/wiring/templatetags/staff.py), "open" chosen.
        self.asked = data if data is not None else QueryDict()
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("state"):
            data["state"] = "open"
        super().__init__(data, *args, **kwargs)
        self.asks_nothing = not filters_asked(type(self), self.asked)

    # The page as it opens asks no filter: the open cases, without building and validating
    # a form of 25 fields for the default alone.
    def is_valid(self) -> bool:
        return self.asks_nothing or super().is_valid()

    @property
    def qs(self):
        if self.asks_nothing:
            return self.filter_state(self.queryset, "state", "open")
        return super().qs


def _active_categories(_=None):
    return CaseCategory.objects.filter(active=True).order_by("pk").values_list("pk", "name")


# Read on every case list (``CaseFilter.form_key``): its SQL is built once.
_ACTIVE_CATEGORIES = CompiledQuery(CaseCategory, _active_categories)


def categories_read(user_id: int) -> RawSQL:
    """The active categories as one JSON text, read with the request's user
    (``liaison.base.auth``): the case lists' filter form is kept rendered per set of
    categories, and reading them was a round trip of its own on every list."""
    return auth.json_rows(_active_categories())
