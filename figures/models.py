"""Daily roll-ups of the figures: one row per day and place (and per category and lead
unit for cases), so that a dashboard sums a few thousand small rows, never the cases.

Kept by ``rollups.py``: the bucket of a station and a day is recounted after every
write to it commits, and the daily sweep rebuilds everything (catching bulk writes,
which send no signal). Each counted column is a figure of ``definitions.py``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.base.models import Region


class CaseDay(models.Model):
    """Cases received on ``day`` at a station, by category and lead unit, and what became
    of them (the cohort of the day: a case counts on the day it was received)."""

    day = models.DateField(_("day"))
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, db_constraint=False
    )
    station_id = models.IntegerField(_("station"))
    category_id = models.IntegerField(_("category"), null=True)
    unit_id = models.IntegerField(_("lead unit"), null=True)
    collected = models.IntegerField(default=0, db_default=0)
    assigned = models.IntegerField(default=0, db_default=0)
    completed = models.IntegerField(default=0, db_default=0)
    solved = models.IntegerField(default=0, db_default=0)
    cannot = models.IntegerField(default=0, db_default=0)
    timed = models.IntegerField(default=0, db_default=0)
    on_time = models.IntegerField(default=0, db_default=0)
    rated = models.IntegerField(default=0, db_default=0)
    satisfied = models.IntegerField(default=0, db_default=0)
    rehandled = models.IntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("cases of a day")
        verbose_name_plural = _("cases by day")
        indexes = [
            # A committee's region and period: one range on each.
            models.Index(fields=["region", "day"], name="caseday_region_day_idx"),
            models.Index(fields=["station_id", "day"], name="caseday_station_day_idx"),
            models.Index(fields=["unit_id", "day"], name="caseday_unit_day_idx"),
            models.Index(fields=["category_id", "day"], name="caseday_category_day_idx"),
            models.Index(fields=["day"], name="caseday_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.station_id}"


class StationDay(models.Model):
    """A station's day: visits logged, people received, its reception day (planned,
    held) and the representatives who entered the station (进站人次)."""

    day = models.DateField(_("day"))
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, db_constraint=False
    )
    station_id = models.IntegerField(_("station"))
    visits = models.IntegerField(default=0, db_default=0)
    people = models.IntegerField(default=0, db_default=0)
    days_planned = models.IntegerField(default=0, db_default=0)
    days_held = models.IntegerField(default=0, db_default=0)
    entered = models.IntegerField(default=0, db_default=0)

    class Meta:
        verbose_name = _("station day")
        verbose_name_plural = _("station days")
        indexes = [
            models.Index(fields=["region", "day"], name="stationday_region_day_idx"),
            models.Index(fields=["station_id", "day"], name="stationday_station_day_idx"),
            models.Index(fields=["day"], name="stationday_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.station_id}"


def private_storage():
    """Ledgers hold constituents' personal data: private storage, served only in scope."""
    from liaison.base.private_files import private_storage

    return private_storage


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class LedgerKind(models.TextChoices):
    VISITS = "visits", _("Visit register (来访登记台账)")
    CASES = "cases", _("Case handling ledger (群众意见办理台账)")
    SUPERVISION = "supervision", _("Supervision ledger (督办台账)")


class LedgerExport(models.Model):
    """A ledger written in the background: its progress, then the file for its owner."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("ledger"), max_length=12, choices=LedgerKind)
    params = models.JSONField(_("place, period and filters"), default=dict)
    status = models.CharField(
        _("status"), max_length=8, choices=ExportStatus, default=ExportStatus.PENDING
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="ledgers/", storage=private_storage, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledger export")
        verbose_name_plural = _("ledger exports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"], name="ledger_export_user_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def progress(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
