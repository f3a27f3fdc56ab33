"""The ledger (办理台账) as an Excel workbook: one row per suggestion in the user's
scope, streamed with openpyxl's write-only mode."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook


def _columns():
    return [
        (_("Number"), lambda s: s.number),
        (_("Title"), lambda s: s.title),
        (_("Lead representative"), lambda s: s.lead_representative.name),
        (_("Signers"), lambda s: "、".join(r.name for r in s.signers.all())),
        (_("Filed"), lambda s: s.get_session_display()),
        (_("Category"), lambda s: s.category.name if s.category else ""),
        (_("Key suggestion"), lambda s: s.get_key_leader_display() if s.is_key else ""),
        (_("Lead unit"), lambda s: s.lead_unit.name if s.lead_unit else ""),
        (_("Co-units"), lambda s: "、".join(u.name for u in s.co_units.all())),
        (_("Handler"), lambda s: s.handler_name),
        (_("Plan"), lambda s: s.plan),
        (_("Received on"), lambda s: s.received_on),
        (_("Assigned"), lambda s: s.assigned_at.date() if s.assigned_at else None),
        (_("Deadline"), lambda s: s.deadline),
        (_("First replied"), lambda s: s.first_replied_at.date() if s.first_replied_at else None),
        (_("On time"), lambda s: _yes_no(s.replied_on_time)),
        (_("Reply category"), lambda s: s.reply_category),
        (_("Rating"), lambda s: s.get_satisfaction_display()),
        (_("Times re-handled"), lambda s: s.rehandle_count),
        (_("Step"), lambda s: s.get_step_display()),
        (_("Made public"), lambda s: _yes_no(s.published)),
    ]


def _yes_no(value) -> str:
    if value is None:
        return ""
    return _("Yes") if value else _("No")


def ledger_workbook(queryset) -> bytes:
    """``queryset`` comes from a scoped selector; signers and co-units are prefetched."""
    columns = _columns()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Suggestion ledger"))
    sheet.append([title for title, _value in columns])
    rows = queryset.prefetch_related("signers").order_by("year", "sequence", "id")
    for suggestion in rows.iterator(chunk_size=500):
        sheet.append([value(suggestion) for _title, value in columns])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
