"""The monthly bulletin (工作动态/月报): the period's figures, a table by township, the
units' on-time and satisfaction table with their assessment score, and the sample cases
the committee picks; as a printable page and as a Word document (python-docx)."""

import io

from django.utils.translation import gettext as _

from figures import assessment, selectors
from figures.definitions import BY_KEY
from figures.periods import Period
from figures.scopes import Place
from liaison.base import regions
from suggestions.cases.scopes import cases_visible_to

# The bulletin's figures, in the order of its opening paragraph.
HEADLINE = [
    "people",
    "visits",
    "days_held",
    "entered",
    "talks",
    "collected",
    "assigned",
    "completed",
    "solved",
    "cannot",
    "on_time_rate",
    "satisfaction_rate",
    "overdue",
    "escalated",
]
SAMPLE_LIMIT = 10


def candidates(user, place: Place, period: Period, limit: int = 50):
    """Completed cases of the period the committee may pick as samples (newest first)."""
    start, end = period.moments()
    cases = _in_place(cases_visible_to(user), place).filter(
        received_at__gte=start, received_at__lt=end, replied_at__isnull=False
    )
    return cases.select_related("station", "lead_unit").order_by("-replied_at", "-pk")[:limit]


def _in_place(cases, place: Place):
    if place.station:
        return cases.filter(station_id=place.station.pk)
    if place.unit:
        return cases.filter(lead_unit_id=place.unit.pk)
    if place.region:
        return cases.filter(regions.within("region_id", place.bounds))
    return cases


def picked(user, place: Place, ids: list[str]):
    ids = [int(value) for value in ids if value.isdigit()][:SAMPLE_LIMIT]
    cases = _in_place(cases_visible_to(user), place).filter(pk__in=ids)
    return list(cases.select_related("station", "lead_unit", "category").order_by("received_at"))


def content(user, place: Place, period: Period, sample_ids: list[str]) -> dict:
    values = selectors.totals(place, period)
    return {
        "place": place,
        "period": period,
        "headline": [
            (BY_KEY[key].label, values[key], BY_KEY[key].percent)
            for key in HEADLINE
            if values.get(key) is not None
        ],
        "regions": selectors.breakdown(place, period, "region"),
        "units": assessment.case_units(place, period),
        "suggestion_units": assessment.suggestion_units(place, period),
        "suggestions": assessment.suggestion_totals(place, period),
        "samples": picked(user, place, sample_ids),
    }


def _rate(value) -> str:
    return "—" if value is None else f"{value}%"


def docx_bytes(data: dict) -> bytes:
    from docx import Document  # imported here: only this download needs it

    document = Document()
    document.add_heading(
        _("%(place)s work bulletin, %(period)s")
        % {"place": data["place"].name, "period": data["period"].label},
        level=1,
    )
    document.add_heading(_("The period's figures"), level=2)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value, is_rate in data["headline"]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(label), _rate(value) if is_rate else str(value)
    if data["regions"]:
        document.add_heading(_("By township"), level=2)
        _table(
            document,
            [
                _("Township"),
                _("Opinions collected"),
                _("Completed"),
                _("Solved"),
                _("Satisfaction rate"),
            ],
            [
                [
                    r["name"],
                    r["collected"],
                    r["completed"],
                    r["solved"],
                    _rate(r["satisfaction_rate"]),
                ]
                for r in data["regions"]
            ],
        )
    document.add_heading(_("Handling units: on time and satisfaction"), level=2)
    _table(
        document,
        [
            _("Lead unit"),
            _("Cases"),
            _("Completed"),
            _("On-time rate"),
            _("Satisfaction rate"),
            _("Assessment score"),
        ],
        [
            [
                r["name"],
                r["collected"],
                r["completed"],
                _rate(r["on_time_rate"]),
                _rate(r["satisfaction_rate"]),
                r["score"] if r["score"] is not None else "—",
            ]
            for r in data["units"]
        ],
    )
    if data["suggestion_units"]:
        document.add_heading(_("Handling units: representative suggestions"), level=2)
        _table(
            document,
            [
                _("Lead unit"),
                _("Suggestions"),
                _("Replied"),
                _("On-time rate"),
                _("Satisfaction rate"),
                _("Assessment score"),
            ],
            [
                [
                    r["unit_name"],
                    r["total"],
                    r["replied"],
                    _rate(r["on_time_rate"]),
                    _rate(r["satisfaction_rate"]),
                    r["score"] if r["score"] is not None else "—",
                ]
                for r in data["suggestion_units"]
            ],
        )
    if data["samples"]:
        document.add_heading(_("Cases of the month"), level=2)
        for case in data["samples"]:
            document.add_paragraph(f"{case.title}（{case.station.name}）", style="List Bullet")
            document.add_paragraph(case.public_summary or case.reply)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _table(document, heads, rows) -> None:
    table = document.add_table(rows=1, cols=len(heads))
    table.style = "Table Grid"
    for cell, head in zip(table.rows[0].cells, heads, strict=True):
        cell.text = str(head)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)
