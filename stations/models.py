from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.base import regions
from liaison.base.models import Region
from liaison.base.regions import RegionLevel
from liaison.base.validators import validate_id_number, validate_phone, validate_plain_text
from representatives.models import Representative, RepresentativeKind


class StationKind(models.TextChoices):
    STATION = "station", _("Liaison station (联络站)")
    STUDIO = "studio", _("Representative studio (代表工作室)")
    HOME = "home", _("Representatives' home (代表之家)")
    CONTACT = "contact", _("Contact-the-people station (联系群众工作站)")


class StationQuerySet(models.QuerySet):
    def active(self) -> "StationQuerySet":
        return self.filter(active=True)

    def in_region(self, region: Region) -> "StationQuerySet":
        return self.filter(regions.within("region", region.bounds))


class Station(models.Model):
    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    kind = models.CharField(
        _("kind"), max_length=10, choices=StationKind.choices, default=StationKind.STATION
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="stations",
        help_text=_("The township/street or village/community where the station sits."),
    )
    address = models.CharField(_("address"), max_length=200, validators=[validate_plain_text])
    in_service_centre = models.BooleanField(_("in the convenience service centre"), default=False)
    opening_notes = models.TextField(
        _("opening hours and notes"), blank=True, validators=[validate_plain_text]
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["region_id", "name"]
        indexes = [models.Index(fields=["region", "active"], name="station_region_active_idx")]
        constraints = [
            models.CheckConstraint(
                condition=regions.level_q("region", RegionLevel.TOWNSHIP)
                | regions.level_q("region", RegionLevel.VILLAGE),
                name="station_region_is_township_or_village",
                violation_error_message=_(
                    "A station sits in a township/street or a village/community."
                ),
            ),
            models.UniqueConstraint(
                fields=["region", "name"], name="station_name_unique_in_region"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/stations/{self.pk}/"


class StaffRole(models.TextChoices):
    HEAD = "head", _("Station head (站长)")
    LIAISON = "liaison", _("Liaison (联络员)")


class StationStaff(models.Model):
    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="staff"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="station_roles",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=StaffRole.choices, default=StaffRole.LIAISON
    )

    class Meta:
        verbose_name = _("station staff")
        verbose_name_plural = _("station staff")
        constraints = [
            models.UniqueConstraint(fields=["station", "user"], name="station_staff_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.user} ({self.get_role_display()})"


class ChecklistItem(models.Model):
    """One item of the station standard (荷塘区 "十有", 长沙县 "五个标准")."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("standard checklist item")
        verbose_name_plural = _("standard checklist items")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class StationChecklist(models.Model):
    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="checklist"
    )
    item = models.ForeignKey(ChecklistItem, verbose_name=_("item"), on_delete=models.PROTECT)
    done = models.BooleanField(_("done"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("checklist entry")
        verbose_name_plural = _("checklist entries")
        ordering = ["item__order"]
        constraints = [
            models.UniqueConstraint(fields=["station", "item"], name="station_checklist_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {'✓' if self.done else '✗'}"


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None) -> "MembershipQuerySet":
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(start_date__lte=on).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=on)
        )


class StationMembership(models.Model):
    """A representative sitting in a station from a date, until a date; history is kept."""

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="memberships"
    )
    representative = models.ForeignKey(
        Representative,
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        related_name="station_memberships",
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("station membership")
        verbose_name_plural = _("station memberships")
        ordering = ["-start_date"]
        indexes = [
            models.Index(fields=["representative", "station"], name="membership_rep_station_idx"),
            models.Index(fields=["station", "end_date"], name="membership_station_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["station", "representative"],
                condition=models.Q(end_date__isnull=True),
                name="membership_one_open_per_station",
                violation_error_message=_(
                    "This representative already sits in this station without an end date."
                ),
            ),
            # On PostgreSQL an exclusion constraint (migration 0002) also refuses
            # overlapping dated memberships; services check it on every database.
        ]

    def __str__(self) -> str:
        return f"{self.representative.name} @ {self.station}"

    def clean(self) -> None:
        if not (self.station_id and self.representative_id and self.start_date):
            return
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A membership cannot end before it starts.")})
        if self.overlapping().exists():
            raise ValidationError(
                _("This representative already sits in this station during these dates.")
            )

    def overlapping(self) -> "MembershipQuerySet":
        others = StationMembership.objects.filter(
            station_id=self.station_id, representative_id=self.representative_id
        ).exclude(pk=self.pk)
        if self.end_date:
            others = others.filter(start_date__lte=self.end_date)
        return others.filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=self.start_date)
        )


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
        choices=ReceptionStatus.choices,
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

    class Meta:
        verbose_name = _("on-duty representative")
        verbose_name_plural = _("on-duty representatives")
        indexes = [models.Index(fields=["reception_day", "kind"], name="duty_day_kind_idx")]
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


class VisitChannel(models.TextChoices):
    RECEPTION_DAY = "reception_day", _("Reception day")
    HOUSEHOLD = "household", _("Household visit (入户)")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat group")
    ONLINE = "online", _("Online form")


class Visit(models.Model):
    """接待登记: one contact with a constituent; it raises one or more cases.

    The constituent's name, phone, address and ID number are personal data:
    only staff in scope read them (``visits_visible_to``), never a case's
    public fields, logs or notices.
    """

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="visits"
    )
    # Copied from the station so that region-subtree lists are one range scan.
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="visits",
        editable=False,
    )
    reception_day = models.ForeignKey(
        ReceptionDay,
        verbose_name=_("reception day"),
        on_delete=models.PROTECT,
        related_name="visits",
        null=True,
        blank=True,
    )
    channel = models.CharField(_("channel"), max_length=15, choices=VisitChannel.choices)
    visited_at = models.DateTimeField(_("when"))
    constituent_name = models.CharField(
        _("constituent's name"), max_length=50, validators=[validate_plain_text]
    )
    constituent_phone = models.CharField(
        _("constituent's phone"), max_length=20, blank=True, validators=[validate_phone]
    )
    constituent_address = models.CharField(
        _("constituent's address"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    constituent_id_number = models.CharField(
        _("constituent's ID number"), max_length=18, blank=True, validators=[validate_id_number]
    )
    people_count = models.PositiveSmallIntegerField(_("number of people"), default=1)
    representatives = models.ManyToManyField(
        Representative,
        verbose_name=_("received by"),
        related_name="received_visits",
        blank=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-id"]
        indexes = [
            models.Index(fields=["station", "visited_at"], name="visit_station_when_idx"),
            models.Index(fields=["region", "visited_at"], name="visit_region_when_idx"),
            models.Index(fields=["visited_at"], name="visit_when_idx"),
            # A returning constituent recognised by phone at the reception desk.
            models.Index(fields=["station", "constituent_phone"], name="visit_station_phone_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(people_count__gte=1),
                name="visit_people_count_positive",
                violation_error_message=_("A visit has at least one person."),
            ),
            models.CheckConstraint(
                condition=models.Q(reception_day__isnull=True)
                | models.Q(channel=VisitChannel.RECEPTION_DAY),
                name="visit_reception_day_channel",
                violation_error_message=_(
                    "A visit on a reception day has the reception-day channel."
                ),
            ),
        ]

    def __str__(self) -> str:
        # Never the constituent's name: this string lands in logs and admin messages.
        return f"{self.station} {self.visited_at:%Y-%m-%d %H:%M} #{self.pk}"

    def save(self, *args, **kwargs):
        self.region_id = self.station.region_id
        super().save(*args, **kwargs)
