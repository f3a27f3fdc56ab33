"""Scoped reads of cases: a constant number of queries whatever the page size."""

import datetime as dt

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import Right
from django.utils import timezone

from liaison.base.calendar import WorkdayCalendar
from liaison.base.scopes import in_regions, scope_of
from stations.scopes import visits_received_by
from suggestions.cases.handled import HandledByUnits
from suggestions.cases.scopes import cases_visible_to
from suggestions.models import (
    CLOSED_STEPS,
    IN_HANDS_OF_UNIT,
    Case,
    CaseCallback,
    CaseCoUnit,
    CaseEvent,
    CaseRating,
    Disposition,
    RatingSource,
    Step,
    case_ids_handled_by,
)
from suggestions.shared.models import past_deadline

# "Assigned or transferred" (交办或转办): handed to a unit, the township, or a suggestion.
ASSIGNED = [
    Disposition.ON_THE_SPOT,
    Disposition.LETTER,
    Disposition.TOWNSHIP_REPORT,
    Disposition.SUGGESTION,
]


def case_list(*, user) -> QuerySet[Case]:
    return _for_lists(cases_visible_to(user))


def _for_lists(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("category", "station", "region", "lead_unit").prefetch_related(
        "co_units"
    )


# A list row as values: the columns and the names the lists and the list API show, joined
# in the one query, so that a page of 50 builds no model instance.
ROW_FIELDS = (
    "id",
    "tracking_code",
    "title",
    "step",
    "category_id",
    "authority",
    "disposition",
    "station_id",
    "region_id",
    "lead_unit_id",
    "deadline",
    "escalation_level",
    "is_key",
    "published",
    "received_at",
    "registered_at",
    "replied_at",
    "closed_at",
)
ROW_NAMES = {
    "category_name": F("category__name"),
    "station_name": F("station__name"),
    "region_name": F("region__name"),
    "lead_unit_name": F("lead_unit__name"),
}


def row_values(cases: QuerySet[Case]) -> QuerySet:
    """Cases (filtered, ordered, even sliced) as dicts of ``ROW_FIELDS`` and their names;
    ``rows_completed`` adds the co-units and the overdue flag to a page of them. On
    PostgreSQL the co-units come in the same query, as two arrays in the units' order."""
    names = ROW_NAMES
    if connections[cases.db].vendor == "postgresql":
        names = {**ROW_NAMES, **_co_unit_arrays()}
    return cases.prefetch_related(None).values(*ROW_FIELDS, **names)


def _co_unit_arrays() -> dict:
    links = CaseCoUnit.objects.filter(case_id=OuterRef("pk")).order_by(*CO_UNIT_ORDER)
    return {
        # Not "co_units": the model's many-to-many field has that name.
        "co_unit_ids": ArraySubquery(links.values("unit_id")),
        "co_unit_names": ArraySubquery(links.values("unit__name")),
    }


# The order a case's co-units are shown in: by region, then name.
CO_UNIT_ORDER = ("unit__region_id", "unit__name", "unit_id")


def rows_completed(rows, today: dt.date | None = None) -> list[dict]:
    """A page of ``row_values``: each row's co-units (ids and names, in the units' order;
    one more query where the rows did not bring them), the step's label and whether it is
    overdue (``past_deadline``)."""
    rows = list(rows)
    today = today or timezone.localdate()
    labels = {value: str(label) for value, label in Step.choices}
    if rows and "co_unit_ids" in rows[0]:  # fetched with the rows (PostgreSQL)
        for row in rows:
            row["co_units"] = row.pop("co_unit_ids")
    elif rows:
        co_units: dict[int, list[tuple[int, str]]] = {}
        links = (
            CaseCoUnit.objects.filter(case_id__in=[row["id"] for row in rows])
            .order_by(*CO_UNIT_ORDER)
            .values_list("case_id", "unit_id", "unit__name")
        )
        for case_id, unit_id, name in links:
            co_units.setdefault(case_id, []).append((unit_id, name))
        for row in rows:
            units = co_units.get(row["id"], ())
            row["co_units"] = [unit_id for unit_id, _ in units]
            row["co_unit_names"] = [name for _, name in units]
    for row in rows:
        row["step_label"] = labels.get(row["step"], row["step"])
        row["overdue"] = past_deadline(row["deadline"], row["step"] in CLOSED_STEPS, today)
    return rows


def case_detail(*, user) -> QuerySet[Case]:
    events = CaseEvent.objects.select_related("actor").order_by("at", "id")
    ratings = CaseRating.objects.order_by("round", "at")
    return case_list(user=user).prefetch_related(
        Prefetch("events", queryset=events), Prefetch("ratings", queryset=ratings)
    )


def due_soon(
    queryset: QuerySet[Case], *, workdays: int, today: dt.date | None = None
) -> QuerySet[Case]:
    """Open cases due from today up to ``workdays`` working days ahead."""
    today = today or timezone.localdate()
    until = WorkdayCalendar(today).shift(today, workdays).date
    return queryset.open().filter(deadline__gte=today, deadline__lte=until)


def handled_by(queryset: QuerySet[Case], *, unit_id: int) -> QuerySet[Case]:
    """Cases a unit leads or co-handles."""
    return queryset.filter(pk__in=case_ids_handled_by([unit_id]))


# THE PUBLIC SIDE: only what a case publishes, never the visit behind it.

# Moves a constituent sees on the status page: the seven steps and how a case ended.
PUBLIC_MOVES = {
    "receive",
    "register",
    "assign_on_spot",
    "refer_by_letter",
    "report_to_township",
    "to_suggestion",
    "answer_consultation",
    "supervise",
    "reply",
    "feedback",
    "archive",
    "reopen",
    "merge",
    "withdraw",
    "send_back",
    "reply_in_progress",
    "rate",
    "reopen_on_rating",
    "conclude",
    "conclude_follow_up",
}


PUBLIC_RELATED = ("station", "lead_unit", "category", "merged_into")


def _public_steps() -> list[Prefetch]:
    """Events carry no notes here (staff notes may name people); the constituent's own
    ratings only (the liaison's and the call-back's are staff's)."""
    events = CaseEvent.objects.filter(kind__in=PUBLIC_MOVES).only(
        "case_id", "kind", "to_step", "at"
    )
    ratings = CaseRating.objects.filter(source=RatingSource.CONSTITUENT).only(
        "case_id", "round", "satisfaction", "at"
    )
    return [
        Prefetch("events", queryset=events, to_attr="public_events"),
        Prefetch("ratings", queryset=ratings, to_attr="constituent_ratings"),
    ]


def public_case_status(case_id: int) -> Case:
    """A case for its own constituent: public fields, the unit, the steps with dates."""
    return (
        Case.objects.select_related(*PUBLIC_RELATED)
        .prefetch_related(*_public_steps())
        .get(pk=case_id)
    )


def public_case_by_code(code: str) -> Case | None:
    """The case with this tracking code, with what its status page shows but the steps,
    and ``check_digits``: the last four digits of its constituent's phone, the only part
    of the visit read. One query on the unique code, whether or not the case exists."""
    # No ORDER BY (the code is unique): it doubled the six-table join's planning time.
    rows = (
        Case.objects.select_related(*PUBLIC_RELATED)
        .annotate(check_digits=Right("visit__constituent_phone", 4))
        .filter(tracking_code=code)
        .order_by()[:1]
    )
    return next(iter(rows), None)


def with_public_steps(case: Case) -> Case:
    """A case from ``public_case_by_code`` with its steps and ratings (two queries)."""
    prefetch_related_objects([case], *_public_steps())
    return case


def published_outcomes() -> QuerySet[Case]:
    """Archived cases whose summary the committee chose to publish (partial index)."""
    return (
        Case.objects.filter(published=True, step=Step.ARCHIVED)
        .select_related("category", "station", "region")
        .only(
            "pk",
            "public_summary",
            "result",
            "received_at",
            "closed_at",
            "category__name",
            "station__name",
            "region__name",
        )
        .order_by("-closed_at", "-id")
    )


def waiting_for(user) -> QuerySet[Case]:
    """Open cases whose next move is this user's, by role: a liaison registers, disposes
    and feeds back; a committee assigns, decides extensions and archives; a lead unit
    replies; a representative feeds back on the visits they received."""
    scope = scope_of(user)
    condition = Q(pk__in=[])
    if scope.station_ids:
        condition |= Q(
            station_id__in=scope.station_ids,
            step__in=[Step.RECEIVED, Step.REGISTERED, Step.REPLIED],
        )
    if scope.is_committee:
        region = Q() if scope.is_admin else in_regions("region_id", scope.region_bounds)
        condition |= region & (
            Q(step__in=[Step.REGISTERED, Step.FEEDBACK])
            | Q(step__in=IN_HANDS_OF_UNIT, extension_until__isnull=False)
        )
    if scope.unit_ids:
        condition |= Q(lead_unit_id__in=scope.unit_ids, step__in=IN_HANDS_OF_UNIT)
    if scope.representative_id is not None:
        condition |= Q(visit_id__in=visits_received_by(scope.representative_id), step=Step.REPLIED)
    return case_list(user=user).filter(condition)


def recently_changed(user) -> QuerySet[Case]:
    return case_list(user=user).order_by("-updated_at", "-id")


def due_on(queryset: QuerySet[Case], day: dt.date) -> QuerySet[Case]:
    return queryset.open().filter(deadline=day)


def received_by(user) -> QuerySet[Case]:
    """Cases raised at visits the user received as a representative."""
    representative_id = scope_of(user).representative_id
    if representative_id is None:
        return Case.objects.none()
    return case_list(user=user).filter(visit_id__in=visits_received_by(representative_id))


def handled_by_units(user) -> HandledByUnits:
    """Cases the user's units lead or co-handle, whatever else the user may see, read as
    two ordered and limited halves (``handled.py``).

    Not narrowed by ``cases_visible_to``: a unit's staff see every case of their unit,
    and a second copy of the same UNION in the query only slows it down."""
    return HandledByUnits(_for_lists(Case.objects.all()), scope_of(user).unit_ids)


def case_rows(*, user) -> QuerySet[Case] | HandledByUnits:
    """``case_list`` for a list: for staff who act only for units (what they may see is
    exactly what their units handle), the two limited halves of ``handled_by_units``."""
    scope = scope_of(user)
    unit_only = scope.unit_ids and not (
        scope.is_committee or scope.station_ids or scope.representative_id is not None
    )
    return handled_by_units(user) if unit_only else case_list(user=user)


# CLOSING THE LOOP


def callbacks_to_make(*, user) -> QuerySet[CaseCallback]:
    """The clerk's call-back list: sampled cases in the committee's scope not called yet,
    oldest sample first (partial index on pending call-backs)."""
    if not scope_of(user).is_committee:
        return CaseCallback.objects.none()
    return (
        CaseCallback.objects.filter(done_at__isnull=True, case__in=cases_visible_to(user))
        .select_related("case", "case__station", "case__lead_unit")
        .order_by("picked_on", "case_id")
    )


def loop_figures(*, user) -> dict:
    """Ratings by whose word they are (the constituent, the liaison, the call-back) and
    satisfaction, and send-backs by the unit that returned the case, in the user's scope:
    two aggregate queries."""
    in_scope = cases_visible_to(user)
    ratings: dict[str, dict[str, int]] = {source: {} for source in RatingSource.values}
    rows = (
        CaseRating.objects.filter(case__in=in_scope)
        .values("source", "satisfaction")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        ratings[row["source"]][row["satisfaction"]] = row["n"]
    returns = (
        CaseEvent.objects.filter(kind="send_back", case__in=in_scope)
        .values("data__unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {"ratings": ratings, "returns": {row["data__unit"]: row["n"] for row in returns}}
