"""Activities of representatives (履职活动): inspections, research, talks, household visits…
with who took part, their files and the cases their findings raised."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.base.history import Event
from liaison.base.models import Region
from liaison.base.validators import validate_plain_text
from representatives.models import Representative, RepresentativeGroup
from stations.models import Station


class ActivityKind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection (视察)")
    RESEARCH = "research", _("Research (专题调研)")
    LAW_CHECK = "law_check", _("Law-enforcement check (执法检查)")
    GROUP = "group", _("Group activity (代表小组活动)")
    TRAINING = "training", _("Training (学习培训)")
    TALK = "talk", _("Policy talk (宣讲)")
    HOUSEHOLD = "household", _("Household visit (入户走访)")
    SUPERVISION = "supervision", _("Supervising a matter (督事)")
    HELP = "help", _("Help (帮忙)")
    REPORT = "report", _("Report on duties (述职)")


# Kinds whose findings may raise cases into the seven-step flow.
FINDING_KINDS = frozenset(
    {
        ActivityKind.INSPECTION,
        ActivityKind.RESEARCH,
        ActivityKind.LAW_CHECK,
        ActivityKind.HOUSEHOLD,
        ActivityKind.SUPERVISION,
    }
)


class Organiser(models.TextChoices):
    GROUP = "group", _("A representative group")
    STATION = "station", _("A station")
    COMMITTEE = "committee", _("A committee")


class ActivityStatus(models.TextChoices):
    # Recorded by a representative; waits for the organiser to confirm it.
    RECORDED = "recorded", _("Waiting for confirmation")
    # Sent back to the representative with a reason; they correct and submit again.
    RETURNED = "returned", _("Returned")
    # Counts in the record (recorded by staff, or confirmed).
    CONFIRMED = "confirmed", _("Confirmed")
    # Taken back: counts nowhere, kept for the history.
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Activity(models.Model):
    kind = models.CharField(_("kind"), max_length=15, choices=ActivityKind)
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, validators=[validate_plain_text])
    summary = models.TextField(_("summary"), blank=True, validators=[validate_plain_text])
    people_reached = models.PositiveIntegerField(
        _("people reached"),
        default=0,
        help_text=_("Constituents met or visited (入户走访, 宣讲…); counts for each participant."),
    )
    organiser = models.CharField(_("organised by"), max_length=10, choices=Organiser)
    group = models.ForeignKey(
        RepresentativeGroup,
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    station = models.ForeignKey(
        Station,
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    # The committee's region, or the group's or station's (copied): the scope of a
    # committee is one range condition on it.
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="activities"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus, default=ActivityStatus.RECORDED
    )
    return_reason = models.CharField(_("reason for returning"), max_length=500, blank=True)
    representatives = models.ManyToManyField(
        Representative,
        through="ActivityParticipant",
        verbose_name=_("representatives who took part"),
        related_name="activities",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-id"]
        indexes = [
            # Figures count confirmed activities of a kind in a period (e.g. 宣讲 talks).
            models.Index(
                fields=["kind", "date"],
                condition=models.Q(status="confirmed"),
                name="activity_confirmed_kind_idx",
            ),
            models.Index(fields=["region", "date"], name="activity_region_date_idx"),
            models.Index(fields=["status", "region"], name="activity_status_region_idx"),
            models.Index(fields=["group", "date"], name="activity_group_date_idx"),
            models.Index(fields=["station", "date"], name="activity_station_date_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(organiser="group", group__isnull=False, station__isnull=True)
                    | models.Q(organiser="station", station__isnull=False, group__isnull=True)
                    | models.Q(organiser="committee", group__isnull=True, station__isnull=True)
                ),
                name="activity_organiser_consistent",
                violation_error_message=_(
                    "An activity is organised by a group, a station or a committee."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="returned") | models.Q(return_reason__gt=""),
                name="activity_returned_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    @property
    def may_raise_cases(self) -> bool:
        return self.kind in FINDING_KINDS


class ActivityParticipant(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="participants"
    )
    representative = models.ForeignKey(
        Representative,
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        related_name="activity_participations",
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [
            models.Index(fields=["representative", "activity"], name="participant_rep_act_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "representative"], name="participant_once_per_activity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.representative_id} @ {self.activity_id}"


class ActivityEvent(Event):
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="events"
    )
    from_step = models.CharField(_("from"), max_length=10, choices=ActivityStatus, blank=True)
    to_step = models.CharField(_("to"), max_length=10, choices=ActivityStatus, blank=True)

    class Meta(Event.Meta):
        verbose_name = _("activity event")
        verbose_name_plural = _("activity events")
        indexes = [models.Index(fields=["activity", "at"], name="activity_event_at_idx")]


def private_storage():
    """The storage of files only staff in scope may read (``STORAGES["private"]``)."""
    from liaison.base.private_files import private_storage

    return private_storage


def activity_file_path(instance, filename: str) -> str:
    # Never the uploaded name on disk: a random name, the checked extension.
    return f"activities/{instance.activity_id}/{instance.token}{instance.extension}"


class ActivityFile(models.Model):
    """A photo or document of an activity, in the private storage: served only through
    the staff page of an activity the user may see (duty/staff/files.py)."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="files"
    )
    token = models.CharField(max_length=32, unique=True, editable=False)
    extension = models.CharField(max_length=8, editable=False)
    file = models.FileField(_("file"), upload_to=activity_file_path, storage=private_storage)
    name = models.CharField(_("name"), max_length=150)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity file")
        verbose_name_plural = _("activity files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Finding(models.Model):
    """A finding of an activity raised as a case into the seven-step flow."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="findings"
    )
    case = models.OneToOneField(
        "suggestions.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="finding",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)

    class Meta:
        verbose_name = _("finding raised as a case")
        verbose_name_plural = _("findings raised as cases")
        ordering = ["raised_at", "id"]

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.case_id}"
