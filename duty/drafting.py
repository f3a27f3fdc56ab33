"""The yearly report to the voters (述职报告), drafted from the year's record: its
figures, its text, and its Word file (python-docx). The printable page is the template
``staff/duty/report_print.html``."""

import datetime as dt
import io

from django.utils.translation import gettext as _

from duty.models import Activity, ActivityKind, ActivityStatus, DutyReport
from duty.record import counts_of

MAX_LISTED = 30


def figures_of(representative, year: int) -> dict:
    """The year's counts as stored with the draft (plain numbers, keyed for the template)."""
    return figures_of_counts(counts_of(representative, dt.date(year, 1, 1), dt.date(year, 12, 31)))


def figures_of_counts(counts) -> dict:
    return {
        "station_days": counts.station_days,
        "sessions_attended": counts.sessions_attended,
        "sessions_missed": counts.sessions_missed,
        "suggestions": counts.suggestions,
        "cases_received": counts.cases_received,
        "activities": counts.activities_total,
        "activities_by_kind": {k: v for k, v in counts.activities.items() if v},
        "people_reached": counts.people_reached,
        "fixed_contacts": counts.fixed_contacts,
        "contacts_made": counts.contacts_made,
    }


def figure_rows(figures: dict) -> list[tuple[str, int]]:
    """The figures as (label, number) rows, for the page, the Word table and the text."""
    rows = [
        (_("Station days (held)"), figures.get("station_days", 0)),
        (_("Congress sessions attended"), figures.get("sessions_attended", 0)),
        (_("Suggestions filed or signed"), figures.get("suggestions", 0)),
        (_("Cases received from constituents"), figures.get("cases_received", 0)),
        (_("Activities"), figures.get("activities", 0)),
    ]
    labels = dict(ActivityKind.choices)
    for kind, n in sorted(figures.get("activities_by_kind", {}).items()):
        rows.append((f"  {labels.get(kind, kind)}", n))
    rows += [
        (_("Fixed constituent contacts"), figures.get("fixed_contacts", 0)),
        (_("Contacts made with them"), figures.get("contacts_made", 0)),
        (_("People reached"), figures.get("people_reached", 0)),
    ]
    return rows


def draft_text(representative, year: int, figures: dict) -> str:
    activities = (
        Activity.objects.filter(
            participants__representative=representative,
            status=ActivityStatus.CONFIRMED,
            date__year=year,
        )
        .order_by("date", "id")
        .values_list("date", "kind", "title")[:MAX_LISTED]
    )
    labels = dict(ActivityKind.choices)
    parts = [
        _(
            "In %(year)s, as a %(level)s representative, I took part in the work of the "
            "congress and kept in touch with the constituents as follows."
        )
        % {"year": year, "level": representative.get_level_display()},
        _(
            "I served %(days)s days at the liaison station, attended %(sessions)s congress "
            "sessions, and filed or signed %(suggestions)s suggestions. The constituents "
            "I received raised %(cases)s matters, which were registered and followed up."
        )
        % {
            "days": figures["station_days"],
            "sessions": figures["sessions_attended"],
            "suggestions": figures["suggestions"],
            "cases": figures["cases_received"],
        },
        _(
            "I kept fixed contact with %(contacts)s constituents and was in touch with them "
            "%(made)s times; in all I reached %(people)s people."
        )
        % {
            "contacts": figures["fixed_contacts"],
            "made": figures["contacts_made"],
            "people": figures["people_reached"],
        },
    ]
    if activities:
        parts.append(_("I took part in %(n)s activities:") % {"n": figures["activities"]})
        parts += [
            f"{date:%Y-%m-%d} {labels.get(kind, kind)}：{title}" for date, kind, title in activities
        ]
    parts.append(
        _(
            "In the coming year I will keep serving at the station, listen to the "
            "constituents and carry their opinions to the congress. I welcome your "
            "criticism and supervision."
        )
    )
    return "\n\n".join(parts)


def draft_title(representative, year: int) -> str:
    return _("%(name)s: report to the voters for %(year)s") % {
        "name": representative.name,
        "year": year,
    }


def report_docx(report: DutyReport) -> bytes:
    """The report as a Word document: title, the text, and the figures as a table."""
    from docx import Document  # imported here: only this download needs it

    document = Document()
    document.add_heading(report.title, level=1)
    for paragraph in report.text.split("\n"):
        if paragraph.strip():
            document.add_paragraph(paragraph.strip())
    document.add_heading(_("The year in figures"), level=2)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, number in figure_rows(report.figures):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(label).strip(), str(number)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
