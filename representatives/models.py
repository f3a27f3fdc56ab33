from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.base import regions
from liaison.base.models import Region
from liaison.base.regions import RegionLevel
from liaison.base.validators import (
    normalize_phone,
    validate_mobile,
    validate_phone,
    validate_plain_text,
)


class CongressLevel(models.TextChoices):
    NATIONAL = "national", pgettext_lazy("congress level", "National")
    PROVINCIAL = "provincial", pgettext_lazy("congress level", "Provincial")
    CITY = "city", pgettext_lazy("congress level", "City")
    COUNTY = "county", pgettext_lazy("congress level", "County")
    TOWNSHIP = "township", pgettext_lazy("congress level", "Township")


# The region a representative belongs to is that of the congress they sit in;
# national deputies are attached to the province whose delegation elected them.
REGION_LEVEL_OF = {
    CongressLevel.NATIONAL: RegionLevel.PROVINCE,
    CongressLevel.PROVINCIAL: RegionLevel.PROVINCE,
    CongressLevel.CITY: RegionLevel.CITY,
    CongressLevel.COUNTY: RegionLevel.COUNTY,
    CongressLevel.TOWNSHIP: RegionLevel.TOWNSHIP,
}


class RepresentativeKind(models.TextChoices):
    OFFICIAL = "official", _("Official (职务代表)")
    GRASSROOTS = "grassroots", _("Grassroots (基层代表)")


class Gender(models.TextChoices):
    MALE = "m", _("Male")
    FEMALE = "f", _("Female")


class RepresentativeQuerySet(models.QuerySet):
    def published(self) -> "RepresentativeQuerySet":
        return self.filter(published=True)

    def in_region(self, region: Region) -> "RepresentativeQuerySet":
        return self.filter(regions.within("region", region.bounds))


class Representative(models.Model):
    name = models.CharField(_("name"), max_length=50, validators=[validate_plain_text])
    gender = models.CharField(_("gender"), max_length=1, choices=Gender, blank=True)
    level = models.CharField(_("congress level"), max_length=10, choices=CongressLevel)
    term = models.PositiveSmallIntegerField(_("term (届)"))
    # The number the congress gives its representative for the term (代表证号 or the
    # roster's serial): with level, region and term it names one person in an import.
    number = models.CharField(
        _("number within the term"),
        max_length=30,
        blank=True,
        db_default="",
        validators=[validate_plain_text],
    )
    electoral_district = models.CharField(
        _("electoral district or unit"), max_length=100, validators=[validate_plain_text]
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="representatives"
    )
    work_unit = models.CharField(
        _("work unit"), max_length=100, blank=True, validators=[validate_plain_text]
    )
    position = models.CharField(
        _("position"), max_length=100, blank=True, validators=[validate_plain_text]
    )
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=RepresentativeKind,
        default=RepresentativeKind.GRASSROOTS,
    )
    public_phone = models.CharField(
        _("public contact phone"), max_length=20, blank=True, validators=[validate_phone]
    )
    private_phone = models.CharField(
        _("private mobile"),
        max_length=20,
        blank=True,
        validators=[validate_mobile],
        help_text=_("Used for SMS notices only; never published."),
    )
    email = models.EmailField(_("email"), blank=True)
    photo = models.ImageField(_("photo"), upload_to="representatives/", blank=True)
    published = models.BooleanField(_("published"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="representative",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RepresentativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["level", "name", "id"]
        indexes = [
            models.Index(fields=["level", "region"], name="rep_level_region_idx"),
            models.Index(fields=["region", "level"], name="rep_region_level_idx"),
            models.Index(fields=["name"], name="rep_name_idx"),
            # The imports find representatives by their number alone (groups, photos).
            models.Index(fields=["number"], name="rep_number_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=reduce(
                    or_,
                    (
                        models.Q(level=level) & regions.level_q("region", region_level)
                        for level, region_level in REGION_LEVEL_OF.items()
                    ),
                ),
                name="representative_region_fits_level",
                violation_error_message=_(
                    "The region does not fit the congress level: a township representative "
                    "belongs to a township, a county one to a county, a city one to a city, "
                    "provincial and national ones to a province."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(term__gte=1), name="representative_term_positive"
            ),
            models.UniqueConstraint(
                fields=["level", "region", "term", "number"],
                condition=~models.Q(number=""),
                name="representative_number_unique_in_term",
                violation_error_message=_(
                    "Another representative of this congress and term has this number."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_level_display()}）"

    def get_absolute_url(self) -> str:
        return f"/representatives/{self.pk}/"

    def clean(self) -> None:
        self.public_phone = normalize_phone(self.public_phone)
        self.private_phone = normalize_phone(self.private_phone)
        if self.level and self.region_id:
            expected = REGION_LEVEL_OF[CongressLevel(self.level)]
            try:
                actual = regions.level_of(self.region_id)
            except ValidationError:
                return
            if actual != expected:
                raise ValidationError(
                    {
                        "region": _(
                            "A %(level)s representative belongs to a %(expected)s, "
                            "not a %(actual)s."
                        )
                        % {
                            "level": self.get_level_display(),
                            "expected": expected.label,
                            "actual": RegionLevel(actual).label,
                        }
                    }
                )


class GroupKind(models.TextChoices):
    LEVEL = "level", _("One level")
    MIXED = "mixed", _("Mixed levels")
    INDUSTRY = "industry", _("Industry")


class RepresentativeGroup(models.Model):
    """代表小组: representatives who act together, with a leader and a liaison."""

    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    kind = models.CharField(_("kind"), max_length=10, choices=GroupKind)
    level = models.CharField(
        _("congress level"),
        max_length=10,
        choices=CongressLevel,
        blank=True,
        help_text=_("Only for groups of one level."),
    )
    industry = models.CharField(_("industry"), max_length=50, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="groups"
    )
    leader = models.ForeignKey(
        Representative,
        verbose_name=_("leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_groups",
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaised_groups",
    )
    members = models.ManyToManyField(
        Representative, verbose_name=_("members"), related_name="groups", blank=True
    )

    class Meta:
        verbose_name = _("representative group")
        verbose_name_plural = _("representative groups")
        ordering = ["region_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="level", level__gt="") | ~models.Q(kind="level"),
                name="group_of_one_level_has_level",
                violation_error_message=_("A group of one level must say which level."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind="industry", industry__gt="") | ~models.Q(kind="industry"),
                name="industry_group_has_industry",
                violation_error_message=_("An industry group must name its industry."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GridKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    COMPOUND = "compound", _("Residential compound")
    VILLAGER_GROUP = "villager_group", _("Villager group")


class GridCell(models.Model):
    """A grid cell (网格, 荷塘区): an enterprise, a residential compound or a villager group
    with the representatives assigned to it; published for "my grid's representative"."""

    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    kind = models.CharField(_("kind"), max_length=15, choices=GridKind)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="grid_cells",
        help_text=_("The township/street or village/community the cell lies in."),
    )
    address = models.CharField(
        _("address or extent"), max_length=200, blank=True, validators=[validate_plain_text]
    )
    representatives = models.ManyToManyField(
        Representative, verbose_name=_("representatives"), related_name="grid_cells", blank=True
    )

    class Meta:
        verbose_name = _("grid cell")
        verbose_name_plural = _("grid cells")
        ordering = ["region_id", "name"]
        indexes = [
            models.Index(fields=["region", "name"], name="grid_region_name_idx"),
            models.Index(fields=["name"], name="grid_name_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="grid_name_unique_in_region"),
            models.CheckConstraint(
                condition=regions.level_q("region", RegionLevel.TOWNSHIP)
                | regions.level_q("region", RegionLevel.VILLAGE),
                name="grid_region_is_township_or_village",
                violation_error_message=_(
                    "A grid cell lies in a township/street or a village/community."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Unavailability(models.Model):
    """Days a representative cannot serve (a month abroad, a congress session, illness),
    marked before the year plan; the reception-day planner leaves them out."""

    representative = models.ForeignKey(
        Representative,
        verbose_name=_("representative"),
        on_delete=models.CASCADE,
        related_name="unavailable",
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    reason = models.CharField(
        _("reason"), max_length=100, blank=True, validators=[validate_plain_text]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("unavailable period")
        verbose_name_plural = _("unavailable periods")
        ordering = ["start_date"]
        indexes = [
            models.Index(fields=["representative", "start_date"], name="unavailable_rep_start_idx"),
            models.Index(fields=["start_date", "end_date"], name="unavailable_dates_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="unavailable_ends_after_start",
                violation_error_message=_("The period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.representative_id} {self.start_date:%Y-%m-%d}–{self.end_date:%Y-%m-%d}"

    def covers(self, day) -> bool:
        return self.start_date <= day <= self.end_date
