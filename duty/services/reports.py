"""The yearly report to the voters: drafted from the record in one click, edited and
published by the representative (the moves of ``REPORTS`` in duty/flow.py)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duty import drafting
from duty.flow import REPORTS
from duty.models import DutyReport
from liaison.base.flow import NotAllowed
from liaison.base.scopes import scope_of
from representatives.models import Representative

FIRST_YEAR = 2000


@transaction.atomic
def duty_report_draft(*, actor: AbstractBaseUser, year: int) -> DutyReport:
    """The actor's report for ``year``: drafted from the record if there is none yet (a
    report already there is returned as it is; ``duty_report_redraft`` starts over)."""
    rep_id = scope_of(actor).representative_id
    if rep_id is None:
        raise NotAllowed(_("Only a representative drafts their report to the voters."))
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise NotAllowed(_("Choose this year or a past one."))
    representative = Representative.objects.select_for_update().get(pk=rep_id)
    existing = DutyReport.objects.filter(representative=representative, year=year).first()
    if existing is not None:
        return existing
    figures = drafting.figures_of(representative, year)
    report = DutyReport.objects.create(
        representative=representative,
        year=year,
        title=drafting.draft_title(representative, year),
        text=drafting.draft_text(representative, year, figures),
        figures=figures,
    )
    REPORTS.event(report, kind="draft", actor=actor, from_step="", data=figures).save()
    return report


@transaction.atomic
def duty_report_redraft(*, report_id: int, actor: AbstractBaseUser) -> DutyReport:
    """Start the draft over from the record as it is now (figures and text)."""
    move = REPORTS.start("edit", pk=report_id, actor=actor)
    report = move.row
    report.figures = drafting.figures_of(report.representative, report.year)
    report.text = drafting.draft_text(report.representative, report.year, report.figures)
    return move.finish(changed=["figures", "text"], note=str(_("Drafted again from the record")))


@transaction.atomic
def duty_report_update(
    *, report_id: int, actor: AbstractBaseUser, title: str, text: str
) -> DutyReport:
    move = REPORTS.start("edit", pk=report_id, actor=actor)
    report = move.row
    report.title = move.text("title", title, max_length=200, required=True)
    report.text = move.text("text", text, max_length=20000, required=True)
    return move.finish(changed=["title", "text"])


@transaction.atomic
def duty_report_publish(*, report_id: int, actor: AbstractBaseUser) -> DutyReport:
    move = REPORTS.start("publish", pk=report_id, actor=actor)
    move.row.published_at = timezone.now()
    return move.finish(changed=["published_at"])


@transaction.atomic
def duty_report_unpublish(*, report_id: int, actor: AbstractBaseUser) -> DutyReport:
    move = REPORTS.start("unpublish", pk=report_id, actor=actor)
    move.row.published_at = None
    return move.finish(changed=["published_at"])
