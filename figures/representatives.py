"""A representative's own figures: the visits they received, the people, the cases raised
at those visits and how they went, and the suggestions they signed, for a period.

A representative has a few cases, so they are counted live from the cases with the same
definitions as the roll-ups (``selectors.live_totals``), never from a roll-up (a case
day is not kept per representative). What is counted is what the viewer may see: the
representative all of theirs, a committee those in its scope (``cases_visible_to``), so
that each number and the list behind it always agree.
"""

from urllib.parse import urlencode

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from figures.definitions import BY_KEY, CARDS, COUNTED, now_condition
from figures.periods import Period
from figures.selectors import TREND_CASES, figure_cards, first_open, live_totals, with_rates
from liaison.base.scopes import scope_of
from representatives.models import Representative
from stations.models import Attendance, DutyAssignment, ReceptionStatus
from stations.scopes import representatives_visible_to, visits_received_by, visits_visible_to
from suggestions.cases.scopes import cases_visible_to
from suggestions.models import Case, CaseCategory
from suggestions.proposals import reports
from suggestions.proposals.scopes import suggestions_visible_to
from suggestions.proposals.selectors import signed_by

# The cards of a representative's dashboard: a station's figures that are not theirs
# (reception days planned or held, 宣讲 of the station) are left out.
REPRESENTATIVE_CARDS = [key for key in CARDS if key not in ("days_held", "talks")]
CATEGORY_COLUMNS = [
    "collected",
    "assigned",
    "completed",
    "solved",
    "cannot",
    "timed",
    "on_time",
    "rated",
    "satisfied",
    "rehandled",
]


def representative_for(user, pk: int) -> Representative:
    """The representative whose figures the user asks for: their own, or for a committee
    (an administrator) one of the representatives it sees; anything else is a 404."""
    scope = scope_of(user)
    if scope.representative_id == pk:
        return get_object_or_404(Representative.objects.select_related("region"), pk=pk)
    if not scope.is_committee:
        raise Http404
    return get_object_or_404(representatives_visible_to(user).select_related("region"), pk=pk)


def cases_of(user, representative: Representative) -> QuerySet[Case]:
    """Cases raised at visits the representative received, as far as the user may see."""
    return cases_visible_to(user).filter(visit_id__in=visits_received_by(representative.pk))


def _received_in(cases: QuerySet, period: Period) -> QuerySet:
    start, end = period.moments()
    return cases.filter(received_at__gte=start, received_at__lt=end)


def _visits_in(user, representative: Representative, period: Period) -> QuerySet:
    start, end = period.moments()
    return visits_visible_to(user).filter(
        pk__in=visits_received_by(representative.pk), visited_at__gte=start, visited_at__lt=end
    )


def totals(user, representative: Representative, period: Period) -> dict:
    """Every figure of the representative's dashboard (four aggregate queries)."""
    cases = cases_of(user, representative)
    row = live_totals(_received_in(cases, period))
    row.update(
        cases.open()
        .filter(COUNTED)
        .aggregate(
            overdue=Count("pk", filter=now_condition("overdue")),
            escalated=Count("pk", filter=now_condition("escalated")),
        )
    )
    row.update(
        _visits_in(user, representative, period)
        .order_by()
        .aggregate(visits=Count("pk"), people=Coalesce(Sum("people_count"), 0))
    )
    # Their own station days: on duty on a reception day held, not marked absent (the
    # roll-ups' 进站人次, for one representative).
    row["entered"] = (
        DutyAssignment.objects.filter(
            representative_id=representative.pk,
            date__gte=period.start,
            date__lte=period.end,
            reception_day__status=ReceptionStatus.HELD,
        )
        .exclude(attendance=Attendance.ABSENT)
        .count()
    )
    return row


def case_params(representative: Representative, period: Period) -> dict:
    return {"representative": representative.pk, "merged": "false", **period.params()}


def drill_url(key: str, representative: Representative, period: Period) -> str | None:
    """The list behind a figure: the staff case or visit list with the representative's
    filter (cases the user may see, as counted)."""
    figure = BY_KEY[key]
    if figure.source in ("cases", "rate", "now"):
        params = {"representative": representative.pk, "merged": "false", **figure.drill}
        if figure.source != "now":
            params.update(period.params())
        return f"{reverse('staff:case-list')}?{urlencode(params, doseq=True)}"
    if key in ("visits", "people"):
        params = {
            "representative": representative.pk,
            "visited_after": f"{period.start:%Y-%m-%d} 00:00",
            "visited_before": f"{period.end + timezone.timedelta(days=1):%Y-%m-%d} 00:00",
        }
        return f"{reverse('staff:visit-list')}?{urlencode(params)}"
    return None


def cards(representative: Representative, period: Period, values: dict) -> list[dict]:
    return figure_cards(
        REPRESENTATIVE_CARDS, values, lambda key: drill_url(key, representative, period)
    )


def trend(user, representative: Representative, period: Period) -> list[dict]:
    """Month by month: people received, the cases' figures and the rates (two queries)."""
    months = {month: {"month": month} for month in period.months()}
    by_month = (
        _received_in(cases_of(user, representative), period)
        .filter(COUNTED)
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(**{key: Count("pk", filter=BY_KEY[key].condition) for key in TREND_CASES})
        .order_by()
    )
    people = (
        _visits_in(user, representative, period)
        .annotate(month=TruncMonth("visited_at"))
        .values("month")
        .annotate(people=Coalesce(Sum("people_count"), 0))
        .order_by()
    )
    for row in [*by_month, *people]:
        month = row["month"].date().replace(day=1)
        months.setdefault(month, {"month": month}).update({**row, "month": month})
    result = []
    for month in sorted(months):
        row = dict.fromkeys([*TREND_CASES, "people"], 0) | months[month]
        row["month"] = month.strftime("%Y-%m")
        result.append(with_rates(row))
    return result


def by_category(user, representative: Representative, period: Period) -> list[dict]:
    """The case figures by category, each row with the cases behind it (two queries)."""
    grouped = list(
        _received_in(cases_of(user, representative), period)
        .filter(COUNTED)
        .values("category_id")
        .annotate(**{key: Count("pk", filter=BY_KEY[key].condition) for key in CATEGORY_COLUMNS})
        .order_by("category_id")
    )
    ids = [row["category_id"] for row in grouped if row["category_id"] is not None]
    names = dict(CaseCategory.objects.filter(pk__in=ids).values_list("pk", "name"))
    base = case_params(representative, period)
    rows = []
    for row in grouped:
        key = row.pop("category_id")
        row["name"] = names.get(key, "—")
        # Cases not yet classified have no category to filter the list by.
        row["url"] = (
            None
            if key is None
            else f"{reverse('staff:case-list')}?{urlencode({**base, 'category': key})}"
        )
        rows.append(with_rates(row))
    rows.sort(key=lambda row: (-row["collected"], row["name"]))
    return rows


def open_list(user, representative: Representative, key: str) -> list[Case]:
    return first_open(cases_of(user, representative).open().filter(COUNTED), key)


def suggestions(user, representative: Representative, period: Period) -> dict:
    """The suggestions the representative signed, received in the period (one query),
    with the list behind them."""
    found = signed_by(suggestions_visible_to(user), representative_id=representative.pk).filter(
        received_on__gte=period.start, received_on__lte=period.end
    )
    row = reports.totals(found)
    params = {
        "representative": representative.pk,
        "received_after": period.start.isoformat(),
        "received_before": period.end.isoformat(),
    }
    row["url"] = f"{reverse('staff:suggestion-list')}?{urlencode(params)}"
    return row
