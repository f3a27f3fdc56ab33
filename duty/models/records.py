"""The rest of a representative's record: congress sessions attended, fixed constituent
contacts (固定联系群众, personal data) and each contact made, the yearly report to the
voters (述职报告), and the quota reminders' stored dates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.base.history import Event
from liaison.base.models import Region
from liaison.base.validators import validate_phone, validate_plain_text
from representatives.models import CongressLevel, Representative


class CongressSession(models.Model):
    """A session of a congress (第N届人民代表大会第M次会议)."""

    level = models.CharField(_("congress level"), max_length=10, choices=CongressLevel)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="sessions"
    )
    term = models.PositiveSmallIntegerField(_("term (届)"))
    number = models.PositiveSmallIntegerField(_("session number (第几次会议)"))
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))

    class Meta:
        verbose_name = _("congress session")
        verbose_name_plural = _("congress sessions")
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "level", "term", "number"], name="session_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="session_ends_after_start",
                violation_error_message=_("A session cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return _("%(region)s %(term)sth congress, session %(number)s") % {
            "region": self.region.name,
            "term": self.term,
            "number": self.number,
        }


class Presence(models.TextChoices):
    PRESENT = "present", _("Present")
    LEAVE = "leave", _("On leave")
    ABSENT = "absent", _("Absent")


class SessionAttendance(models.Model):
    session = models.ForeignKey(
        CongressSession,
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    representative = models.ForeignKey(
        Representative,
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        related_name="session_attendance",
    )
    presence = models.CharField(_("attendance"), max_length=10, choices=Presence)
    # Copied from the session: a year's attendance per representative is one index scan.
    date = models.DateField(_("date"), editable=False)

    class Meta:
        verbose_name = _("session attendance")
        verbose_name_plural = _("session attendance")
        indexes = [models.Index(fields=["representative", "date"], name="attendance_rep_date_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "representative"], name="attendance_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.representative_id}: {self.presence}"

    def save(self, *args, **kwargs):
        self.date = self.session.start_date
        super().save(*args, **kwargs)


class FixedContact(models.Model):
    """A constituent a representative keeps in touch with (固定联系群众). Name, phone and
    address are personal data: ``duty.scopes.contacts_visible_to`` guards them, and they
    never reach a public page, a log line or a notice to anyone else."""

    representative = models.ForeignKey(
        Representative,
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        related_name="fixed_contacts",
    )
    name = models.CharField(_("name"), max_length=50, validators=[validate_plain_text])
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    address = models.CharField(
        _("address"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    # Where the constituent lives: committees see the contacts of their region, as they
    # see a case's constituent.
    region = models.ForeignKey(
        Region,
        verbose_name=_("township or village"),
        on_delete=models.PROTECT,
        related_name="fixed_contacts",
    )
    note = models.CharField(_("note"), max_length=200, blank=True, validators=[validate_plain_text])
    active = models.BooleanField(_("still a fixed contact"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("fixed constituent contact")
        verbose_name_plural = _("fixed constituent contacts")
        ordering = ["representative_id", "name", "id"]
        indexes = [
            models.Index(fields=["representative", "active"], name="fixed_contact_rep_idx"),
            models.Index(fields=["region"], name="fixed_contact_region_idx"),
        ]

    def __str__(self) -> str:
        # Never the constituent's name: this string lands in logs and admin messages.
        return f"{_('fixed contact')} #{self.pk}"


class ContactWay(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    MEETING = "meeting", _("Meeting")
    ONLINE = "online", _("WeChat or online")


class ContactMade(models.Model):
    contact = models.ForeignKey(
        FixedContact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="made"
    )
    # Copied from the contact: a year's contacts per representative is one index scan.
    representative = models.ForeignKey(
        Representative,
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        related_name="contacts_made",
        editable=False,
    )
    date = models.DateField(_("date"))
    way = models.CharField(_("how"), max_length=10, choices=ContactWay, default=ContactWay.VISIT)
    note = models.CharField(
        _("what was said"), max_length=500, blank=True, validators=[validate_plain_text]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact made")
        verbose_name_plural = _("contacts made")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["representative", "date"], name="contact_made_rep_date_idx"),
            models.Index(fields=["contact", "date"], name="contact_made_contact_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.contact_id} {self.date:%Y-%m-%d}"


class ContactYear(models.Model):
    """How many times a fixed contact was met in a year, kept beside each contact made.
    The quota table judges a county's 1,300 representatives on their year of contacts:
    it reads one row per contact here instead of every contact made (a hundred thousand
    rows a year), which is what kept the table within its time."""

    contact = models.ForeignKey(
        FixedContact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="years"
    )
    representative = models.ForeignKey(
        Representative, verbose_name=_("representative"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    times = models.PositiveIntegerField(_("times met"), default=0)

    class Meta:
        verbose_name = _("contacts of a year")
        verbose_name_plural = _("contacts of a year")
        constraints = [
            models.UniqueConstraint(fields=["contact", "year"], name="contact_year_unique")
        ]
        indexes = [models.Index(fields=["year", "representative"], name="contact_year_rep_idx")]

    def __str__(self) -> str:
        return f"#{self.contact_id} {self.year}: {self.times}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class DutyReport(models.Model):
    """The yearly report to the voters (述职报告): drafted from the year's record, edited
    and published by the representative; a published one is on the public profile."""

    representative = models.ForeignKey(
        Representative,
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        related_name="duty_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    text = models.TextField(_("text"), validators=[validate_plain_text])
    # The year's counts when the draft was made (what the text was written from).
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus, default=ReportStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("report to the voters")
        verbose_name_plural = _("reports to the voters")
        ordering = ["-year"]
        indexes = [
            models.Index(
                fields=["representative", "year"],
                condition=models.Q(status="published"),
                name="report_published_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(fields=["representative", "year"], name="report_once_a_year"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="report_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DutyReportEvent(Event):
    report = models.ForeignKey(
        DutyReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="events"
    )
    from_step = models.CharField(_("from"), max_length=10, choices=ReportStatus, blank=True)
    to_step = models.CharField(_("to"), max_length=10, choices=ReportStatus, blank=True)

    class Meta(Event.Meta):
        verbose_name = _("report event")
        verbose_name_plural = _("report events")
        indexes = [models.Index(fields=["report", "at"], name="report_event_at_idx")]


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Monthly quotas")
    YEAR = "year", _("Yearly quotas")


class QuotaReminder(models.Model):
    """When a representative's quotas of one period kind are next checked for a reminder,
    and the last period reminded (so each period is reminded once)."""

    representative = models.ForeignKey(
        Representative,
        verbose_name=_("representative"),
        on_delete=models.CASCADE,
        related_name="quota_reminders",
    )
    period_kind = models.CharField(_("period"), max_length=5, choices=PeriodKind)
    next_on = models.DateField(_("next check"))
    last_period = models.CharField(_("last period reminded"), max_length=7, blank=True)

    class Meta:
        verbose_name = _("quota reminder")
        verbose_name_plural = _("quota reminders")
        indexes = [models.Index(fields=["next_on", "id"], name="quota_reminder_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["representative", "period_kind"], name="quota_reminder_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative_id} {self.period_kind} {self.next_on:%Y-%m-%d}"
