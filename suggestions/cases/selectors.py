"""Scoped reads of cases: a constant number of queries whatever the page size."""

import datetime as dt
import functools
import json
from collections.abc import Callable

from django.contrib.postgres.aggregates import JSONBAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection, connections, router
from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import JSONObject, Right
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from liaison.base import auth
from liaison.base.calendar import WorkdayCalendar
from liaison.base.compiled import (
    CompiledModels,
    CompiledQuery,
    CompiledValues,
    instance_from_json,
    json_array,
)
from liaison.base.pagination import CompiledKeyset
from liaison.base.paging import Unfiltered
from liaison.base.scopes import in_regions, scope_of
from stations.models import Visit
from stations.scopes import visits_received_by, visits_visible_to
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
    HandlingUnit,
    RatingSource,
    Step,
    case_ids_handled_by,
)
from suggestions.shared.models import UnitStaff, past_deadline
from suggestions.shared.scopes import units_visible_to

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


# What the staff pages' table of cases shows (jinja2/staff/case_rows.html): fewer
# columns to read and convert, no date-time among them.
TABLE_FIELDS = ("id", "tracking_code", "title", "step", "deadline", "is_key")
TABLE_NAMES = {name: ROW_NAMES[name] for name in ("station_name", "lead_unit_name")}


def row_values(cases: QuerySet[Case]) -> QuerySet:
    """Cases (filtered, ordered, even sliced) as dicts of ``ROW_FIELDS`` and their names;
    ``rows_completed`` adds the co-units and the overdue flag to a page of them. On
    PostgreSQL the co-units come in the same query, as two arrays in the units' order."""
    return cases.prefetch_related(None).values(*ROW_FIELDS, **_with_co_units(cases, ROW_NAMES))


def _with_co_units(cases: QuerySet[Case], names: dict) -> dict:
    if connections[cases.db].vendor != "postgresql":
        return names
    # Not "co_units": the model's many-to-many field has that name.
    return {**names, "co_unit_ids": _co_units("unit_id"), "co_unit_names": _co_units("name")}


def _co_units(column: str) -> RawSQL:
    """A case's co-units' ``column`` (link.unit_id or unit.name) as an array in the units'
    order (CO_UNIT_ORDER). Written out: the ORM spent longer compiling the two correlated
    subqueries than PostgreSQL spends running them, on every page of every list. The
    case table is named as the outer query names it, which these lists always are."""
    link, unit = CaseCoUnit._meta.db_table, HandlingUnit._meta.db_table
    source = "link" if column == "unit_id" else "unit"
    return RawSQL(  # noqa: S611 (no input in it: our table and column names)
        f'ARRAY(SELECT {source}."{column}" FROM "{link}" link '  # noqa: S608 (our names)
        f'JOIN "{unit}" unit ON unit."id" = link."unit_id" '
        f'WHERE link."case_id" = "{Case._meta.db_table}"."id" '
        'ORDER BY unit."region_id", unit."name", link."unit_id")',
        (),
    )


# The order a case's co-units are shown in: by region, then name.
CO_UNIT_ORDER = ("unit__region_id", "unit__name", "unit_id")


def table_values(cases: QuerySet[Case]) -> QuerySet:
    """``row_values`` with only what the staff pages' table shows."""
    return cases.prefetch_related(None).values(*TABLE_FIELDS, **_with_co_units(cases, TABLE_NAMES))


def rows_completed(rows, today: dt.date | None = None) -> list[dict]:
    """A page of ``row_values``: each row's co-units (ids and names, in the units' order;
    one more query where the rows did not bring them), the step's label and whether it is
    overdue (``past_deadline``)."""
    rows = list(rows)
    today = today or timezone.localdate()
    labels = _step_labels(translation.get_language())
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


@functools.cache
def _step_labels(language: str | None) -> dict[str, str]:
    # The steps' names in the active language, looked up once per language, not per page.
    return {value: str(label) for value, label in Step.choices}


def case_detail(*, user) -> QuerySet[Case]:
    events = CaseEvent.objects.select_related("actor").order_by("at", "id")
    ratings = CaseRating.objects.order_by("round", "at")
    return case_list(user=user).prefetch_related(
        Prefetch("events", queryset=events), Prefetch("ratings", queryset=ratings)
    )


def case_page(*, user) -> QuerySet[Case]:
    """The staff case page's case, with the names it shows and its call-back joined;
    ``case_page_parts`` reads the rest (three plain queries cost a third of prefetching)."""
    return cases_visible_to(user).select_related(
        "category", "station", "region", "lead_unit", "callback"
    )


# A bigint: a larger id in the URL finds nothing (as the ORM's lookup does), not an error.
_LARGEST_ID = 2**63 - 1


def case_for_page(*, user, pk: int) -> Case | None:
    """``case_page``'s case ``pk``, or None when the user may not see it. Its SQL is built
    once per scope (``CompiledModels``): ``cases_visible_to`` reads nothing of the user
    but their ``Scope``, and building it cost the ORM more than the rest of the read.
    On PostgreSQL the case brings what the page shows of its related rows
    (``case_page_parts``), its visit if the user may see it (``case_page_visit``) and
    what other apps read with it (``read_with_case_page``): one round trip, not five."""
    if not -_LARGEST_ID <= pk <= _LARGEST_ID:
        return None
    return _CASE_PAGE.get(("case page", scope_of(user)), lambda marker: _page(user, marker), pk)


def _page(user, marker):
    cases = case_page(user=user).filter(pk=marker).order_by()
    if connection.vendor != "postgresql":
        return cases
    case = OuterRef("pk")
    visit = visits_visible_to(user).filter(pk=OuterRef("visit_id")).order_by()
    return cases.annotate(
        page_co_unit_names=ArraySubquery(_co_unit_names(case)),
        page_ratings=json_array(_ratings(case), _RATING_FIELDS),
        page_events=json_array(
            _events(case),
            _EVENT_FIELDS,
            **{f"actor_{name}": F(f"actor__{name}") for name in _ACTOR_FIELDS},
        ),
        page_visit=Subquery(visit.values(json=JSONObject(**{f: F(f) for f in _VISIT_FIELDS}))),
        **{f"page_{name}": build(case) for name, build in _WITH_CASE_PAGE.items()},
    )


# name -> build(the case's id, an OuterRef): an expression of one value that the case
# page's case brings along as ``page_<name>`` (on PostgreSQL).
_WITH_CASE_PAGE: dict[str, Callable] = {}


def read_with_case_page(name: str, build: Callable) -> None:
    """Read ``build(OuterRef("pk"))`` with the case page's case, as ``page_<name>``
    (called from ``AppConfig.ready``: the work area's files of the case)."""
    _WITH_CASE_PAGE[name] = build
    _CASE_PAGE.forget()


def case_page_visit(*, user, case: Case) -> Visit | None:
    """The visit behind a case if the user may see it (units may not: a visit's personal
    data stays with station and region): the one the case brought (``case_for_page``), or
    read by SQL built once per scope, as the case's. What the page shows of it only: the
    instance reads any other field when first asked for it."""
    if hasattr(case, "page_visit"):
        row = case.page_visit
        return None if row is None else instance_from_json(Visit, case._state.db, row)
    return _VISIT_PAGE.get(
        ("case page visit", scope_of(user)),
        lambda marker: visits_visible_to(user).filter(pk=marker).order_by(),
        case.visit_id,
    )


_CASE_PAGE = CompiledModels(Case)
_VISIT_PAGE = CompiledModels(Visit)
# What the case page shows of the visit (jinja2/staff/cases/detail.html).
_VISIT_FIELDS = (
    "id", "station_id", "region_id", "constituent_name", "constituent_phone",
    "constituent_address", "visited_at", "channel",
)  # fmt: skip


def case_page_parts(case: Case) -> dict:
    """What the case page shows of a case's related rows: its co-units' names (in the
    units' order), its ratings and its history (each event with its actor's names). On
    PostgreSQL brought by the case (``case_for_page``) or else in one query whose SQL is
    built once per process (``CompiledQuery``); elsewhere one query each."""
    if connection.vendor != "postgresql":
        return {
            "co_unit_names": list(_co_unit_names(case.pk)),
            "ratings": list(_ratings(case.pk)),
            "events": list(_events(case.pk).select_related("actor")),
        }
    alias = case._state.db or router.db_for_read(Case) or "default"
    if hasattr(case, "page_events"):
        names, ratings, events = case.page_co_unit_names, case.page_ratings, case.page_events
    else:
        names, *rows = _PAGE_PARTS.rows(case.pk)[0]
        # Django reads JSON as text: arrays of it here, without the ORM's converters.
        ratings, events = ([json.loads(row) for row in column] for column in rows)
    return {
        "co_unit_names": names,
        "ratings": [instance_from_json(CaseRating, alias, row) for row in ratings],
        "events": [_event_from_json(alias, row) for row in events],
    }


def _co_unit_names(case_id: int) -> QuerySet:
    links = CaseCoUnit.objects.filter(case_id=case_id).order_by(*CO_UNIT_ORDER)
    return links.values_list("unit__name", flat=True)


def _ratings(case_id: int) -> QuerySet[CaseRating]:
    return CaseRating.objects.filter(case_id=case_id).order_by("round", "at")


def _events(case_id: int) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case_id=case_id).order_by("at", "id")


# What the page reads of each: the rows' own columns (no event's data), and each
# event's actor's names.
_RATING_FIELDS = ("id", "case_id", "round", "source", "satisfaction", "comment", "actor_id", "at")
_EVENT_FIELDS = ("id", "case_id", "kind", "actor_id", "at", "note", "from_step", "to_step")
_ACTOR_FIELDS = ("first_name", "last_name", "username")


_PAGE_PARTS = CompiledQuery(
    Case,
    lambda pk: Case.objects.filter(pk=pk).values_list(
        ArraySubquery(_co_unit_names(OuterRef("pk"))),
        json_array(_ratings(OuterRef("pk")), _RATING_FIELDS),
        json_array(
            _events(OuterRef("pk")),
            _EVENT_FIELDS,
            **{f"actor_{name}": F(f"actor__{name}") for name in _ACTOR_FIELDS},
        ),
    ),
)


def _event_from_json(alias: str, row: dict) -> CaseEvent:
    event = instance_from_json(CaseEvent, alias, row)
    if event.actor_id is not None:
        actor = {"id": event.actor_id, **{name: row[f"actor_{name}"] for name in _ACTOR_FIELDS}}
        event.actor = instance_from_json(CaseEvent.actor.field.related_model, alias, actor)
    return event


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


PUBLIC_RELATED = ("station", "lead_unit", "category")
# What the status page and the public API show of a case, and nothing more: the staff's
# replies, plans and notes are never read for a public page (and a narrow row of three
# small joins plans and loads in a fraction of the time of the whole case's).
PUBLIC_FIELDS = (
    "tracking_code",
    "title",
    "step",
    "deadline",
    "result",
    "published",
    "public_summary",
    "public_reply",
    "replied_at",
    "conclusion",
    "concluded_at",
    "reopen_count",
    *PUBLIC_RELATED,
    "station__name",
    "category__name",
    "lead_unit__name",
)


@functools.cache
def _public_case() -> QuerySet[Case]:
    """The public fields, and ``own_rating``: the constituent's rating of the current
    reply round, if any (at most one: ``case_rating_once_per_round``). On PostgreSQL the
    public steps come in the same row (``public_steps``, JSON), which saves the page a
    round trip. Built once per process (each use filters a copy): resolving it costs as
    much as running it."""
    own_rating = CaseRating.objects.filter(
        case=OuterRef("pk"), round=OuterRef("reopen_count"), source=RatingSource.CONSTITUENT
    ).values("satisfaction")[:1]
    cases = (
        Case.objects.select_related(*PUBLIC_RELATED)
        .only(*PUBLIC_FIELDS)
        .annotate(own_rating=Subquery(own_rating))
    )
    if connection.vendor != "postgresql":
        return cases
    steps = (
        _public_moves(CaseEvent.objects.filter(case=OuterRef("pk")))
        .order_by()  # one group: the order is the aggregate's own
        .values("case")
        .annotate(
            steps=JSONBAgg(
                JSONObject(kind="kind", to_step="to_step", at="at"), order_by=("at", "id")
            )
        )
        .values("steps")
    )
    return cases.annotate(public_steps=Subquery(steps))


def _public_moves(events: QuerySet[CaseEvent]) -> QuerySet[CaseEvent]:
    # No notes (staff notes may name people).
    return events.filter(kind__in=PUBLIC_MOVES).only("kind", "to_step", "at").order_by("at", "id")


def public_events(case: Case) -> list[CaseEvent]:
    """The public moves of a case, oldest first: from its row when it came with them."""
    if hasattr(case, "public_steps"):
        return [
            CaseEvent(kind=s["kind"], to_step=s["to_step"], at=dt.datetime.fromisoformat(s["at"]))
            for s in case.public_steps or ()
        ]
    return list(_public_moves(CaseEvent.objects.filter(case_id=case.pk)))


def public_case_status(case_id: int) -> Case:
    """A case for its own constituent: public fields, the unit, the steps with dates
    (one query on PostgreSQL, two elsewhere)."""
    return with_public_steps(_public_case().get(pk=case_id))


def public_case_by_code(code: str) -> Case | None:
    """The case with this tracking code, with what its status page shows and
    ``check_digits``: the last four digits of its constituent's phone, the only part of
    the visit read. One query on the unique code, whether or not the case exists; on
    PostgreSQL its SQL is built once per process (``CompiledQuery``: building it took
    longer than running it), and the row becomes the same deferred instance the ORM
    would make."""
    if connection.vendor != "postgresql":
        return next(iter(_by_code(code)), None)
    rows = _BY_CODE.rows(code)
    return _public_case_from(rows[0]) if rows else None


def _by_code(code: str) -> QuerySet[Case]:
    # No ORDER BY (the code is unique): it doubled the join's planning time.
    return (
        _public_case()
        .annotate(check_digits=Right("visit__constituent_phone", 4))
        .filter(tracking_code=code)
        .order_by()[:1]
    )


# The compiled lookup's columns: the case's own in the model's order (as ``from_db``
# takes them), then each relation's name, then the annotations.
_NAMED = {name: Case._meta.get_field(name).related_model for name in PUBLIC_RELATED}
_OWN = tuple(
    f.attname
    for f in Case._meta.concrete_fields
    if f.name == "id" or f.name in PUBLIC_FIELDS or f.name in _NAMED
)
_BY_CODE = CompiledQuery(
    Case,
    lambda code: _by_code(code).values_list(
        *_OWN, *(f"{name}__name" for name in _NAMED), "own_rating", "public_steps", "check_digits"
    ),
    marker="not a tracking code",
)


def _public_case_from(row: tuple) -> Case:
    alias = router.db_for_read(Case) or "default"
    case = Case.from_db(alias, _OWN, row[: len(_OWN)])
    names = row[len(_OWN) : len(_OWN) + len(_NAMED)]
    for (name, model), label in zip(_NAMED.items(), names, strict=True):
        pk = getattr(case, f"{name}_id")
        if pk is not None:
            setattr(case, name, model.from_db(alias, ["id", "name"], [pk, label]))
    case.own_rating, steps, case.check_digits = row[-3:]
    case.public_steps = json.loads(steps) if steps else None
    return case


def with_public_steps(case: Case) -> Case:
    """A case from ``public_case_by_code`` with its steps (no query on PostgreSQL)."""
    case.public_events = public_events(case)
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


def handled_by_units(user, *, known_as=None) -> HandledByUnits:
    """Cases the user's units lead or co-handle, whatever else the user may see, read as
    two ordered and limited halves (``handled.py``).

    Not narrowed by ``cases_visible_to``: a unit's staff see every case of their unit,
    and a second copy of the same UNION in the query only slows it down.

    Given ``known_as``, a name for what will be done with the list (which narrowings it
    will be given), its count and pages are read by SQL built once per process for the
    units, that name, the order and the page (``HandledByUnits.compiled``)."""
    unit_ids = scope_of(user).unit_ids
    if known_as is None:
        return HandledByUnits(_for_lists(Case.objects.all()), unit_ids)
    # Built only if the SQL is (once per process and key): the ORM's clones cost more
    # than the rest of reading the list's page.
    cases = SimpleLazyObject(lambda: _for_lists(Case.objects.all()))
    handled = HandledByUnits(cases, unit_ids)
    return handled.compiled(_HANDLED, ("handled", known_as, tuple(sorted(unit_ids))))


_HANDLED = CompiledValues(Case)


def unit_names(user) -> list[str]:
    """The names of the user's units, in the units' order: the unit page's heading. The
    request's user brings them (``unit_names_read``); anyone else's by SQL built once per
    scope. (A user sees every unit they act for: ``units_visible_to`` holds their units.)"""
    found = auth.read_with(user, "unit_names")
    if found is not auth.NOT_READ:
        return list(found or ())

    def build(_marker):
        return units_visible_to(user).filter(pk__in=scope.unit_ids).values("name")

    scope = scope_of(user)
    return [row["name"] for row in _UNIT_NAMES.rows(("unit names", scope), build)]


def unit_names_read(user_id: int) -> ArraySubquery:
    """The names of the units the user acts for (their unit roles), in the
    units' order, read with the request's user (``liaison.base.auth``)."""
    acts_for = UnitStaff.objects.filter(user=user_id).values("unit_id")  # as ``unit_roles``
    units = HandlingUnit.objects.filter(pk__in=acts_for)
    return ArraySubquery(units.order_by(*HandlingUnit._meta.ordering).values("name"))


_UNIT_NAMES = CompiledValues(HandlingUnit)


def case_rows(*, user) -> QuerySet[Case] | HandledByUnits:
    """``case_list`` for a list: for staff who act only for units (what they may see is
    exactly what their units handle), the two limited halves of ``handled_by_units``."""
    scope = scope_of(user)
    unit_only = scope.unit_ids and not (
        scope.is_committee or scope.station_ids or scope.representative_id is not None
    )
    return handled_by_units(user) if unit_only else case_list(user=user)


def listed_rows(*, user) -> CompiledKeyset:
    """``case_rows`` unfiltered as ``row_values``, for the cursor pagination, each page's
    SQL built once per scope (``CompiledKeyset``): the list as the API opens it. Users of
    the same ``Scope`` share it, since ``case_rows`` reads nothing else of the user."""

    def build(order, where, page):
        cases = case_rows(user=user).order_by(*order).filter(**where)
        if isinstance(cases, HandledByUnits):
            return cases.read_as(row_values)[page]
        return row_values(cases)[page]

    return CompiledKeyset(_LISTED_ROWS, ("case rows", scope_of(user)), build)


_LISTED_ROWS = CompiledValues(Case)


def table_rows(*, user, order: tuple, start: int, stop: int) -> list[dict]:
    """``table_values`` of the user's ``case_list`` in ``order``, rows ``start:stop``: the
    staff list as it opens, no filter asked. Its SQL is built once per scope, order and
    page (``CompiledValues``), as the API's ``listed_rows``: ``case_list`` reads nothing
    of the user but their ``Scope``."""

    def build(_marker):
        return table_values(case_list(user=user).order_by(*order))[start:stop]

    key = ("staff table", scope_of(user), tuple(order), start, stop)
    return _TABLE_ROWS.rows(key, build)


_TABLE_ROWS = CompiledValues(Case)


def table(*, user) -> Unfiltered:
    """The user's ``case_list`` as the staff list reads it when the query asks no filter
    (``list_page``): counted and read by SQL built once per scope (``table_rows``), the
    scoped queryset never built."""

    def count_up_to(limit: int) -> int:
        def build():
            return case_list(user=user).order_by()[:limit]

        return _TABLE_ROWS.count(("staff table count", scope_of(user), limit), build)

    def rows(order: tuple, start: int, stop: int) -> list[dict]:
        return table_rows(user=user, order=order, start=start, stop=stop)

    return Unfiltered(count_up_to=count_up_to, rows=rows)


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
