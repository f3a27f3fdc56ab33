"""What every app stands on: the region tree, the working-day calendar,
per-jurisdiction settings, and the committee role."""

from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.base import regions
from liaison.base.regions import RegionLevel


class RegionQuerySet(models.QuerySet):
    def subtree(self, code: str, level: str | None = None) -> "RegionQuerySet":
        return self.filter(regions.within("code", regions.subtree_bounds(code, level)))


class Region(models.Model):
    code = models.CharField(
        _("division code"), max_length=12, primary_key=True, validators=[regions.validate_code]
    )
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # 城乡分类代码 of the published list (111 main urban area … 220 village): kept so that
    # an exported list goes back as it came.
    urban_rural_code = models.CharField(
        _("urban/rural code"),
        max_length=3,
        blank=True,
        db_default="",
        validators=[regions.validate_urban_rural],
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{12}$"),
                name="region_code_12_digits",
                violation_error_message=_("A division code is exactly 12 digits."),
            ),
            models.CheckConstraint(
                condition=reduce(
                    or_,
                    (
                        models.Q(level=level) & regions.level_q("code", level)
                        for level in RegionLevel
                    ),
                ),
                name="region_level_matches_code",
                violation_error_message=_("The level does not match the division code."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        regions.validate_code(self.code)
        expected = regions.level_of(self.code)
        if self.level and self.level != expected:
            raise ValidationError(
                {
                    "level": _("Code %(code)s is a %(level)s code.")
                    % {"code": self.code, "level": expected.label}
                }
            )
        parent = regions.parent_code(self.code)
        if parent != self.parent_id:
            if parent and not Region.objects.filter(code=parent).exists():
                raise ValidationError(
                    {"code": _("Create the parent region %(code)s first.") % {"code": parent}}
                )
            self.parent_id = parent

    @property
    def bounds(self) -> tuple[str, str]:
        return regions.subtree_bounds(self.code, self.level)


class CommitteeMembership(models.Model):
    """A staff user of a region's congress committee (联工委, 人大工委): sees the whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="committee_memberships",
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="committee_staff"
    )
    title = models.CharField(_("title"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "region"], name="committee_user_region_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.user}"


class WorkdayAdjustment(models.Model):
    """An administrator's entry that wins over the packaged holiday calendar."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    name = models.CharField(_("reason"), max_length=50, help_text=_("e.g. 春节 or 春节调休"))

    class Meta:
        verbose_name = _("working-day adjustment")
        verbose_name_plural = _("working-day adjustments")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = _("working day") if self.is_workday else _("day off")
        return f"{self.date:%Y-%m-%d} {self.name} ({kind})"


class JurisdictionSettings(models.Model):
    """The rules of one region's congress; a region without its own row uses its
    nearest ancestor's, and the documents' values where none has one."""

    region = models.OneToOneField(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, primary_key=True
    )
    # At most what a reception day accepts (its check constraint), or the planner and the
    # notice-date refresh could not copy the lead onto the days.
    notice_lead_workdays = models.PositiveSmallIntegerField(
        _("reception-day notice lead (working days)"),
        default=5,
        validators=[MaxValueValidator(30)],
    )
    reception_day_of_month = models.PositiveSmallIntegerField(
        _("monthly reception day"), default=15
    )
    keep_non_working_reception_day = models.BooleanField(
        _("keep a reception day that falls on a day off"),
        default=False,
        help_text=_("Otherwise it moves to the next working day."),
    )
    registration_workdays = models.PositiveSmallIntegerField(
        _("cases registered within (working days after the reception day)"), default=2
    )
    reply_workdays = models.PositiveSmallIntegerField(
        _("unit reply due (working days after assignment)"), default=15
    )
    due_soon_workdays = models.PositiveSmallIntegerField(
        _("due-soon window (working days)"), default=3
    )
    escalation_interval_workdays = models.PositiveSmallIntegerField(
        _("escalate one level up after (working days overdue)"), default=5
    )
    # The escalation ladder of both daily sweeps (suggestions/shared/sweeps.py): level 1 the
    # first working day after the deadline, one more level each interval, up to this. At
    # most the committee's own supervision scale (督办 by hand, 5 levels: suggestions/cases/
    # services.py MAX_ESCALATION_LEVEL), which writes the same escalation level.
    escalation_levels = models.PositiveSmallIntegerField(
        _("escalation levels"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_(
            "The levels the daily sweeps raise an overdue case or suggestion to. A case: "
            "level 1 tells the lead unit and the county committee, level 2 the city "
            "committee, level 3 the province's. A suggestion: the lead unit and the "
            "committees of its congress and above, at every level."
        ),
    )
    duty_days_national = models.PositiveSmallIntegerField(
        _("yearly station days: national"), default=2
    )
    duty_days_provincial = models.PositiveSmallIntegerField(
        _("yearly station days: provincial"), default=2
    )
    duty_days_city = models.PositiveSmallIntegerField(_("yearly station days: city"), default=3)
    duty_days_county = models.PositiveSmallIntegerField(_("yearly station days: county"), default=3)
    duty_days_township = models.PositiveSmallIntegerField(
        _("yearly station days: township"), default=3
    )
    suggestion_assign_workdays = models.PositiveSmallIntegerField(
        _("suggestion assigned within (working days)"), default=5
    )
    suggestion_reply_months = models.PositiveSmallIntegerField(
        _("suggestion reply due (months)"), default=3
    )
    suggestion_extended_reply_months = models.PositiveSmallIntegerField(
        _("extended suggestion reply due (months)"), default=6
    )
    suggestion_counit_months = models.PositiveSmallIntegerField(
        _("co-unit opinion due (months)"), default=1
    )
    suggestion_rehandle_months = models.PositiveSmallIntegerField(
        _("re-handled reply due (months)"), default=1
    )
    # Closing the loop with the constituent (the 12345 habit, suggestions/cases/).
    case_send_back_workdays = models.PositiveSmallIntegerField(
        _("a unit may send a misrouted case back within (working days of assignment)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    case_callback_percent = models.PositiveSmallIntegerField(
        _("call-back sample of replied cases (%)"),
        default=10,
        validators=[MaxValueValidator(100)],
        help_text=_("Set by the committee; 0 samples none, 100 every replied case."),
    )
    # Duty quotas (履职), checked by duty/quotas.py. 0 turns a quota off. The defaults are
    # the documents': station days a year above (湘潭); fixed constituent contacts as in
    # 龙沙区 (city representatives 5 people each contacted twice a year, district ones 10
    # people four times; national and provincial as city, township as district); 浏阳's
    # monthly rules (a station day and 30 people a month) are off unless a region sets them.
    station_days_per_month = models.PositiveSmallIntegerField(
        _("station days a month (0: no monthly quota)"), default=0
    )
    people_reached_per_month = models.PositiveSmallIntegerField(
        _("people reached a month (0: no monthly quota)"), default=0
    )
    fixed_contacts_national = models.PositiveSmallIntegerField(
        _("fixed constituent contacts: national"), default=5
    )
    fixed_contacts_provincial = models.PositiveSmallIntegerField(
        _("fixed constituent contacts: provincial"), default=5
    )
    fixed_contacts_city = models.PositiveSmallIntegerField(
        _("fixed constituent contacts: city"), default=5
    )
    fixed_contacts_county = models.PositiveSmallIntegerField(
        _("fixed constituent contacts: county"), default=10
    )
    fixed_contacts_township = models.PositiveSmallIntegerField(
        _("fixed constituent contacts: township"), default=10
    )
    contact_times_national = models.PositiveSmallIntegerField(
        _("contacts a year with each fixed constituent: national"), default=2
    )
    contact_times_provincial = models.PositiveSmallIntegerField(
        _("contacts a year with each fixed constituent: provincial"), default=2
    )
    contact_times_city = models.PositiveSmallIntegerField(
        _("contacts a year with each fixed constituent: city"), default=2
    )
    contact_times_county = models.PositiveSmallIntegerField(
        _("contacts a year with each fixed constituent: county"), default=4
    )
    contact_times_township = models.PositiveSmallIntegerField(
        _("contacts a year with each fixed constituent: township"), default=4
    )
    duty_reports_per_year = models.PositiveSmallIntegerField(
        _("reports to the voters a year (述职)"), default=1
    )
    quota_reminder_month_workdays = models.PositiveSmallIntegerField(
        _("remind of a monthly quota (working days before the month ends)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    quota_reminder_year_workdays = models.PositiveSmallIntegerField(
        _("remind of a yearly quota (working days before the year ends)"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )

    class Meta:
        verbose_name = _("jurisdiction settings")
        verbose_name_plural = _("jurisdiction settings")

    def __str__(self) -> str:
        return str(self.region)

    def duty_days_for(self, level: str) -> int:
        return getattr(self, f"duty_days_{level}")

    def fixed_contacts_for(self, level: str) -> int:
        return getattr(self, f"fixed_contacts_{level}")

    def contact_times_for(self, level: str) -> int:
        return getattr(self, f"contact_times_{level}")


# The outbox lives in its own module; importing it here registers it with this app.
from liaison.base.notifications.models import Notification  # noqa: E402, F401


class IdempotencyKey(models.Model):
    """A write a client may send again (liaison/base/idempotency.py): an API call with an
    ``Idempotency-Key`` header, or a staff form with its one-time token. The row is
    written before the write runs; a repeat finds it and gets the first answer again
    (API), or is not run again (forms). ``status_code`` empty: in progress, or the
    process stopped before it answered (the outcome is unknown, so it is never run again
    under this key)."""

    class Scope(models.TextChoices):
        API = "api", _("API call")
        FORM = "form", _("Staff form")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    scope = models.CharField(_("scope"), max_length=4, choices=Scope)
    key = models.CharField(_("key"), max_length=100)
    method = models.CharField(_("method"), max_length=8)
    path = models.CharField(_("path"), max_length=300)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    body = models.BinaryField(_("body"), blank=True, default=b"")
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "scope", "key"], name="idempotency_user_scope_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}"


def private_storage():
    """Files only administrators read (``STORAGES["private"]``), never under MEDIA_ROOT."""
    from liaison.base.private_files import private_storage

    return private_storage


class ImportRecord(models.Model):
    """One spreadsheet uploaded for import (liaison/wiring/imports/): who, when, which
    file, what its preview found and what applying it changed. Kept as the audit trail."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")  # the preview runs (a task, or this request)
        PREVIEWED = "previewed", _("Previewed")
        APPLYING = "applying", _("Importing")  # confirmed; the apply runs
        APPLIED = "applied", _("Applied")
        REFUSED = "refused", _("Not imported")
        # A check or an apply whose task stopped (a worker killed, a lost message): no
        # progress for IMPORT_STALL_MINUTES. Nothing was written; it can be run again.
        FAILED = "failed", _("Stopped")

    kind = models.CharField(_("roster"), max_length=20)
    filename = models.CharField(_("file name"), max_length=200)
    file = models.FileField(
        _("file"), upload_to="imports/%Y/%m/", storage=private_storage, max_length=200
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status)
    options = models.JSONField(_("options"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("rows created"), default=0)
    updated = models.PositiveIntegerField(_("rows updated"), default=0)
    unchanged = models.PositiveIntegerField(_("rows unchanged"), default=0)
    # [[row, column, message], ...] in the uploader's language, as the preview showed them.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    # When the check or the apply under way was started: with the progress the task
    # reports, how a stopped one is told from a slow one.
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at"], name="import_created_idx"),
            # The sweep for stopped imports reads only those under way.
            models.Index(
                fields=["status"],
                name="import_running_idx",
                condition=models.Q(status__in=["checking", "applying"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.get_status_display()})"


# The audit and the administrators' duties live in their own modules.
from liaison.base.api_tokens import ApiToken  # noqa: E402, F401
from liaison.base.audit import AuditRecord  # noqa: E402, F401
from liaison.base.documents.models import DocumentSequence, IssuedDocument  # noqa: E402, F401
from liaison.base.duties import AdminAssignment  # noqa: E402, F401
from liaison.base.passwords import PasswordAge  # noqa: E402, F401
from liaison.base.totp import TwoFactorDevice  # noqa: E402, F401


class Session(AbstractBaseSession):
    """Django's database session with its user's id beside it, written from the session's
    data at each save: a staff request reads its session and its user in one statement
    (liaison/base/sessions.py)."""

    user_id = models.IntegerField(_("user"), null=True, blank=True, db_index=True)

    class Meta(AbstractBaseSession.Meta):
        db_table = "liaison_session"

    @classmethod
    def get_session_store_class(cls):
        from liaison.base.sessions import SessionStore

        return SessionStore
