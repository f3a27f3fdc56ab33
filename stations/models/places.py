"""Stations, their staff and standard checklist, and which representatives sit where
(dated memberships)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.base import regions
from liaison.base.models import Region
from liaison.base.regions import RegionLevel
from liaison.base.validators import validate_plain_text
from representatives.models import Representative


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
    # The county's own numbering of its stations: what its spreadsheets key a station by,
    # so that an import updates the station it names instead of adding another.
    code = models.CharField(
        _("station code"),
        max_length=30,
        blank=True,
        db_default="",
        validators=[validate_plain_text],
        help_text=_("The county's own number for the station, e.g. LY-001."),
    )
    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    kind = models.CharField(
        _("kind"), max_length=10, choices=StationKind, default=StationKind.STATION
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
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(code=""),
                name="station_code_unique",
                violation_error_message=_("Another station has this code."),
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
    role = models.CharField(_("role"), max_length=10, choices=StaffRole, default=StaffRole.LIAISON)

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
