"""What both flows share: the handling units and their staff, the categories of
cases and suggestions, and what "open" and "overdue" mean for a case or a suggestion."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base import regions
from liaison.base.models import Region
from liaison.base.validators import validate_phone, validate_plain_text

# OPEN AND OVERDUE: the one definition, in SQL and in Python, for both flows.
#
# Overdue: open (not at one of the flow's closed steps), with a deadline, and the deadline
# before today, today being the local date (Asia/Shanghai, ``TIME_ZONE``). Templates,
# serializers, staff pages, selectors, API filters and the sweeps' claims all ask these
# methods. When a sweep *acts* on an overdue row is another rule: the escalation ladder
# (``suggestions/shared/sweeps.py``), from the first working day after the deadline.


class WithDeadlineQuerySet(models.QuerySet):
    """``open()`` and ``overdue()`` of a flow's rows (``step``, ``deadline``)."""

    closed_steps: tuple[str, ...] = ()

    def open(self):
        return self.exclude(step__in=self.closed_steps)

    def overdue(self, today: dt.date | None = None):
        """Open, with a deadline before today: the rows whose ``is_overdue()`` is true."""
        return self.filter(self.overdue_condition(today))

    def not_overdue(self, today: dt.date | None = None):
        return self.exclude(self.overdue_condition(today))

    @classmethod
    def overdue_condition(cls, today: dt.date | None = None) -> models.Q:
        return models.Q(deadline__lt=today or timezone.localdate()) & ~models.Q(
            step__in=cls.closed_steps
        )


def deadline_indexes(prefix: str, closed_steps) -> list[models.Index]:
    """The indexes every flow's deadline needs: open rows by region, step and deadline (the
    inboxes and the sweeps), open deadlines across regions (overdue and due-soon lists),
    and the sweeps' claim of the rows they still have something to do for."""
    open_rows = ~models.Q(step__in=closed_steps)
    return [
        models.Index(
            fields=["region", "step", "deadline"],
            condition=open_rows,
            name=f"{prefix}_open_region_step_dl_idx",
        ),
        models.Index(fields=["deadline"], condition=open_rows, name=f"{prefix}_open_deadline_idx"),
        models.Index(
            fields=["next_sweep_on", "id"],
            condition=models.Q(next_sweep_on__isnull=False),
            name=f"{prefix}_next_sweep_idx",
        ),
    ]


def past_deadline(deadline: dt.date | None, closed: bool, today: dt.date | None = None) -> bool:
    """The Python side of ``overdue_condition``, for a model row or a row of values."""
    return deadline is not None and not closed and deadline < (today or timezone.localdate())


class WithDeadline:
    """The Python side of ``WithDeadlineQuerySet`` for a flow's model (``deadline``,
    ``is_closed``): one row, no query."""

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return past_deadline(self.deadline, self.is_closed, today)


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", _("Government department")
    COURT = "court", _("Court")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    OTHER = "other", _("Other")


class HandlingUnitQuerySet(models.QuerySet):
    def in_region(self, region: Region) -> "HandlingUnitQuerySet":
        return self.filter(regions.within("region", region.bounds))


class HandlingUnit(models.Model):
    """承办单位: a department that receives cases and suggestions and replies."""

    name = models.CharField(_("name"), max_length=100, validators=[validate_plain_text])
    kind = models.CharField(_("kind"), max_length=15, choices=UnitKind, default=UnitKind.GOVERNMENT)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="units"
    )
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=20, blank=True, validators=[validate_phone]
    )
    active = models.BooleanField(_("active"), default=True)

    objects = HandlingUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["region_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unit_name_unique_in_region")
        ]

    def __str__(self) -> str:
        return self.name


class UnitStaff(models.Model):
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("handling unit"),
        on_delete=models.CASCADE,
        related_name="staff",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="unit_roles",
    )

    class Meta:
        verbose_name = _("handling-unit staff")
        verbose_name_plural = _("handling-unit staff")
        constraints = [models.UniqueConstraint(fields=["unit", "user"], name="unit_staff_unique")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.user}"


class CaseCategory(models.Model):
    """What a case is about (education, health, ...); administrators edit the list."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50, validators=[validate_plain_text])
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name
