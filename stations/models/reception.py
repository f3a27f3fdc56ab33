"""Reception days (接待日), who is on duty, their public notices and their history."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.base.history import Event
from representatives.models import Representative, RepresentativeKind
from stations.models.places import Station


class ReceptionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PUBLISHED = "published", _("Published")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class ReceptionDay(models.Model):
    """One station's reception day (接待日) and who is on duty."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="reception_days"
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"), default="09:00")
    end_time = models.TimeField(_("until"), default="12:00")
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReceptionStatus,
        default=ReceptionStatus.PLANNED,
    )
    notice_lead_workdays = models.PositiveSmallIntegerField(
        _("notice lead (working days)"), default=5
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    # Set when the day is published, from its date and lead on the working-day calendar,
    # so that the notice sweep is one indexed range query.
    notice_date = models.DateField(_("notice date"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    noticed_at = models.DateTimeField(_("notice sent"), null=True, blank=True, editable=False)
    representatives = models.ManyToManyField(
        Representative,
        through="DutyAssignment",
        verbose_name=_("on duty"),
        related_name="reception_days",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["date", "station"]
        indexes = [
            models.Index(fields=["date", "status"], name="reception_date_status_idx"),
            models.Index(fields=["station", "date"], name="reception_station_date_idx"),
            models.Index(
                fields=["notice_date", "id"],
                condition=models.Q(status="published", noticed_at__isnull=True),
                name="reception_notice_due_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["station", "date"], name="reception_day_unique"),
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="reception_ends_after_start",
                violation_error_message=_("A reception day must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="cancelled") | models.Q(cancel_reason__gt=""),
                name="reception_cancel_has_reason",
                violation_error_message=_("Say why the reception day is cancelled."),
            ),
            models.CheckConstraint(
                condition=models.Q(status="planned") | models.Q(published_at__isnull=False),
                name="reception_published_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(notice_lead_workdays__lte=30),
                name="reception_notice_lead_at_most_30",
                violation_error_message=_("The notice lead is at most 30 working days."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.station} {self.date:%Y-%m-%d}"


class Attendance(models.TextChoices):
    # Put on duty; the day not held yet, or the representative has not said.
    PENDING = "pending", _("Not confirmed")
    # The representative (or the station) confirmed they served that day.
    CONFIRMED = "confirmed", _("Attended")
    # They did not come: the day does not count in their record.
    ABSENT = "absent", _("Did not attend")


class DutyAssignment(models.Model):
    reception_day = models.ForeignKey(
        ReceptionDay,
        verbose_name=_("reception day"),
        on_delete=models.CASCADE,
        related_name="duties",
    )
    representative = models.ForeignKey(
        Representative,
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        related_name="duties",
    )
    # Denormalised so that "never the same person in two places on one day" is a constraint.
    date = models.DateField(_("date"), editable=False)
    # The kind on the day of duty, so a plan shows its official and grassroots pair even
    # after a representative's post changes.
    kind = models.CharField(
        _("kind"), max_length=10, choices=RepresentativeKind.choices, editable=False
    )
    # A station day counts in the duty record once held and not marked absent; the
    # representative confirms it (stations/services/attendance.py).
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance, default=Attendance.PENDING
    )
    attendance_set_at = models.DateTimeField(
        _("attendance confirmed"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("on-duty representative")
        verbose_name_plural = _("on-duty representatives")
        indexes = [
            models.Index(fields=["reception_day", "kind"], name="duty_day_kind_idx"),
            # The duty record and the quota table count a year's days per representative.
            models.Index(fields=["date", "representative"], name="duty_date_rep_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["representative", "date"],
                name="duty_one_place_per_day",
                violation_error_message=_("This representative is already on duty that day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.representative.name} {self.date:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        # The copy of the day's date must never drift from the reception day it copies.
        self.date = self.reception_day.date
        self.kind = self.kind or self.representative.kind
        super().save(*args, **kwargs)


class ReceptionNotice(models.Model):
    """The public announcement (通知公告) of a reception day: who receives, where, when,
    and how to reach them. Holds only what may be published: names, work units and
    public phones of the representatives, never their private phones."""

    reception_day = models.OneToOneField(
        ReceptionDay,
        verbose_name=_("reception day"),
        on_delete=models.CASCADE,
        related_name="notice",
    )
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("reception-day notice")
        verbose_name_plural = _("reception-day notices")
        ordering = ["-published_at"]
        indexes = [models.Index(fields=["published_at"], name="reception_notice_pub_idx")]

    def __str__(self) -> str:
        return str(self.reception_day)


class ReceptionDayEvent(Event):
    """One entry of a reception day's history: who published, held, cancelled or edited it."""

    reception_day = models.ForeignKey(
        ReceptionDay,
        verbose_name=_("reception day"),
        on_delete=models.PROTECT,
        related_name="events",
    )
    from_step = models.CharField(_("from"), max_length=10, choices=ReceptionStatus, blank=True)
    to_step = models.CharField(_("to"), max_length=10, choices=ReceptionStatus, blank=True)

    class Meta(Event.Meta):
        verbose_name = _("reception-day event")
        verbose_name_plural = _("reception-day events")
        indexes = [models.Index(fields=["reception_day", "at"], name="reception_event_day_at_idx")]
