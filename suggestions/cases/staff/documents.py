"""Official documents (公文) of a case, for A4: the 转办函 of a case referred to a unit,
and the 报告+清单 of a case reported to the township government. Each is issued by the
body that made the move, numbered from that body's sequence of the year (文号, set in the
admin; liaison/base/documents/), with seal space and Chinese dates; no constituent's
personal data."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.base import regions
from liaison.base.documents.services import document_issue, issuing_sequence
from liaison.base.models import CommitteeMembership, Region
from liaison.base.regions import RegionLevel, ancestor_codes
from suggestions.cases import selectors
from suggestions.models import Disposition

# The moves that hand a case to a unit; the last one made is what the letter states.
REFERRAL_MOVES = {"refer_by_letter", "assign_on_spot", "reopen"}
REPORT_MOVES = {"report_to_township"}


@login_required
def referral_letter(request, pk: int):
    """转办函: what the unit needs to act."""
    case = get_object_or_404(
        selectors.case_detail(user=request.user).filter(lead_unit__isnull=False), pk=pk
    )
    context = _document(request, case, kind="referral_letter", moves=REFERRAL_MOVES)
    return render(request, "staff/print/referral_letter.html", context)


@login_required
def township_report(request, pk: int):
    """报告+清单: the report to the township government and the list of its matters."""
    case = get_object_or_404(
        selectors.case_detail(user=request.user).filter(
            disposition=Disposition.TOWNSHIP_REPORT, lead_unit__isnull=False
        ),
        pk=pk,
    )
    context = _document(
        request, case, kind="township_report", moves=REPORT_MOVES, level=RegionLevel.TOWNSHIP
    )
    return render(request, "staff/print/township_report.html", context)


def _document(request, case, *, kind: str, moves: set, level=RegionLevel.COUNTY) -> dict:
    made = next((e for e in reversed(case.events.all()) if e.kind in moves), None)
    issued_on = timezone.localdate(made.at) if made else timezone.localdate()
    region = _issuing_region(case, made.actor if made else None, fallback=level)
    sequence = issuing_sequence(region_code=region.code, year=issued_on.year)
    document = sequence and document_issue(
        kind=kind,
        subject_type="suggestions.case",
        subject_id=case.pk,
        sequence=sequence,
        actor=request.user,
    )
    return {
        "case": case,
        "today": issued_on,
        "note": made.note if made else "",
        "document": document,
        "issuer": document.sequence.issuer if document else _body_name(region),
    }


def _issuing_region(case, actor, *, fallback: str) -> Region:
    """The body that made the move: the deepest committee of that user over the case's
    region; else the case's ``fallback`` level (its county, or its township)."""
    codes = ancestor_codes(case.region_id)
    held = set()
    if actor is not None:
        held = set(
            CommitteeMembership.objects.filter(user=actor, region_id__in=codes).values_list(
                "region_id", flat=True
            )
        )
    code = next((c for c in reversed(codes) if c in held), None)
    if code is None:
        at_level = [c for c in codes if regions.level_of(c) == fallback]
        code = at_level[0] if at_level else case.region_id
    return Region.objects.get(code=code)


def _body_name(region: Region) -> str:
    if region.level == RegionLevel.TOWNSHIP:
        return _("Presidium of the %(region)s People's Congress") % {"region": region.name}
    return _("Standing Committee of the %(region)s People's Congress") % {"region": region.name}
