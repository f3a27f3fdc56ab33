"""The ledgers (台账) as Excel workbooks, in the user's scope, for a place and a period:
来访登记台账 (visits), 群众意见办理台账 (cases, with the case list's filters) and 督办台账
(every supervision and escalation). openpyxl's write-only mode writes each row as it
comes from a server-side cursor, so memory stays flat whatever the size; the workbook
goes to a temporary file that the response streams."""

import tempfile
from collections.abc import Callable, Iterator

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from figures.definitions import COUNTED
from figures.models import LedgerKind
from figures.periods import Period
from figures.scopes import Place
from liaison.base import regions
from representatives.models import Representative
from stations.models import Visit
from stations.scopes import visits_visible_to
from suggestions.cases.filters import CaseFilter
from suggestions.cases.scopes import cases_visible_to
from suggestions.models import Case, CaseEvent, HandlingUnit

CHUNK = 2000
SUPERVISION_KINDS = ["supervise", "escalate"]


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _day(moment):
    return timezone.localtime(moment).date() if moment else None


def _labels(model, field: str) -> Callable:
    """A choice field's label, looked up in a dict made once per ledger: ``get_FOO_display``
    translates again on every row, a third of a 100,000-row ledger's time."""
    labels = {value: str(label) for value, label in model._meta.get_field(field).flatchoices}
    return lambda value: labels.get(value, value)


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def _in_place(
    queryset: QuerySet,
    place: Place,
    *,
    station="station_id",
    region="region_id",
    unit="lead_unit_id",
) -> QuerySet:
    if place.station:
        return queryset.filter(**{station: place.station.pk})
    if place.unit:
        return queryset.filter(**{unit: place.unit.pk})
    if place.region:
        return queryset.filter(regions.within(region, place.bounds))
    return queryset


def _period(queryset: QuerySet, field: str, period: Period) -> QuerySet:
    start, end = period.moments()
    return queryset.filter(**{f"{field}__gte": start, f"{field}__lt": end})


# VISITS


def visit_rows(user, place: Place, period: Period) -> QuerySet:
    visits = _period(_in_place(visits_visible_to(user), place), "visited_at", period)
    names = Representative.objects.only("name")
    return (
        visits.select_related("station")
        .prefetch_related(Prefetch("representatives", queryset=names), "cases")
        .order_by("visited_at", "pk")
    )


def _visit_columns():
    channel = _labels(Visit, "channel")
    return [
        (_("Date and time"), lambda v: _local(v.visited_at)),
        (_("Station"), lambda v: v.station.name),
        (_("Channel"), lambda v: channel(v.channel)),
        (_("Constituent"), lambda v: v.constituent_name),
        (_("Phone"), lambda v: v.constituent_phone),
        (_("Address"), lambda v: v.constituent_address),
        (_("People"), lambda v: v.people_count),
        (_("Received by"), lambda v: "、".join(r.name for r in v.representatives.all())),
        (_("Cases raised"), lambda v: "、".join(c.tracking_code for c in v.cases.all())),
    ]


# CASES


def case_rows(user, place: Place, period: Period, filters=None) -> QuerySet:
    cases = _in_place(cases_visible_to(user).filter(COUNTED), place)
    if place.category:
        cases = cases.filter(category_id=place.category.pk)
    cases = _period(cases, "received_at", period)
    if filters:
        filterset = CaseFilter(filters, queryset=cases)
        if filterset.is_valid():
            cases = filterset.qs
    units = HandlingUnit.objects.only("name")
    return (
        cases.select_related("station", "region", "category", "lead_unit")
        .prefetch_related(Prefetch("co_units", queryset=units))
        .order_by("received_at", "pk")
    )


def _case_columns():
    authority, disposition = _labels(Case, "authority"), _labels(Case, "disposition")
    step, result = _labels(Case, "step"), _labels(Case, "result")
    satisfaction = _labels(Case, "satisfaction")
    return [
        (_("Tracking code"), lambda c: c.tracking_code),
        (_("Received"), lambda c: _local(c.received_at)),
        (_("Station"), lambda c: c.station.name),
        (_("Region"), lambda c: c.region.name),
        (_("Title"), lambda c: c.title),
        (_("Category"), lambda c: c.category.name if c.category else ""),
        (_("Authority"), lambda c: authority(c.authority)),
        (_("Disposition"), lambda c: disposition(c.disposition)),
        (_("Step"), lambda c: step(c.step)),
        (_("Registered"), lambda c: _day(c.registered_at)),
        (_("Lead unit"), lambda c: c.lead_unit.name if c.lead_unit else ""),
        (_("Co-units"), lambda c: "、".join(u.name for u in c.co_units.all())),
        (_("Handler"), lambda c: c.handler),
        (_("Deadline"), lambda c: c.deadline),
        (_("Escalation level"), lambda c: c.escalation_level),
        (_("Replied"), lambda c: _day(c.replied_at)),
        (_("On time"), lambda c: _yes_no(c.replied_on_time)),
        (_("Result"), lambda c: result(c.result)),
        (_("Satisfaction"), lambda c: satisfaction(c.satisfaction)),
        (_("Times re-handled"), lambda c: c.reopen_count),
        (_("Closed"), lambda c: _day(c.closed_at)),
    ]


# SUPERVISION


def supervision_rows(user, place: Place, period: Period) -> QuerySet:
    cases = _in_place(cases_visible_to(user), place)
    events = CaseEvent.objects.filter(kind__in=SUPERVISION_KINDS, case__in=cases.values("pk"))
    return (
        _period(events, "at", period)
        .select_related("case", "case__station", "case__lead_unit", "actor")
        .order_by("at", "pk")
    )


def _supervision_columns():
    step = _labels(Case, "step")
    return [
        (_("When"), lambda e: _local(e.at)),
        (_("Tracking code"), lambda e: e.case.tracking_code),
        (_("Title"), lambda e: e.case.title),
        (_("Station"), lambda e: e.case.station.name),
        (_("Lead unit"), lambda e: e.case.lead_unit.name if e.case.lead_unit else ""),
        (
            _("Kind"),
            lambda e: _("Escalated (overdue)") if e.kind == "escalate" else _("Supervised"),
        ),
        (_("Level"), lambda e: e.data.get("level", "")),
        (
            _("By"),
            lambda e: e.actor.get_full_name() or e.actor.username if e.actor else _("System"),
        ),
        (_("Note"), lambda e: e.note),
        (_("Deadline then"), lambda e: e.data.get("deadline", "")),
        (_("Step now"), lambda e: step(e.case.step)),
    ]


LEDGERS: dict[str, tuple[Callable, Callable]] = {
    LedgerKind.VISITS: (visit_rows, _visit_columns),
    LedgerKind.CASES: (case_rows, _case_columns),
    LedgerKind.SUPERVISION: (supervision_rows, _supervision_columns),
}


def rows_of(kind: str, user, place: Place, period: Period, filters=None) -> QuerySet:
    select, _columns = LEDGERS[kind]
    if kind == LedgerKind.CASES:
        return select(user, place, period, filters)
    return select(user, place, period)


def write(kind: str, rows: QuerySet, *, progress: Callable[[int], None] | None = None):
    """Write the ledger to a temporary file (rewound, for streaming) and return it."""
    columns = LEDGERS[kind][1]()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(LedgerKind(kind).label))
    sheet.append([title for title, _value in columns])
    for done, row in enumerate(_each(rows), start=1):
        sheet.append([value(row) for _title, value in columns])
        if progress and done % CHUNK == 0:
            progress(done)
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the caller streams and closes it)
    workbook.save(out)
    out.seek(0)
    return out


def _each(rows: QuerySet) -> Iterator:
    return rows.iterator(chunk_size=CHUNK)
