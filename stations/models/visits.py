"""Visits (接待登记): each contact with a constituent, with their personal data."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.base.models import Region
from liaison.base.validators import validate_id_number, validate_phone, validate_plain_text
from representatives.models import Representative
from stations.models.places import Station
from stations.models.reception import ReceptionDay


class VisitChannel(models.TextChoices):
    RECEPTION_DAY = "reception_day", _("Reception day")
    # Someone who comes to the station on a day that is not a reception day (到站来访).
    WALK_IN = "walk_in", _("Walk-in at the station")
    HOUSEHOLD = "household", _("Household visit (入户)")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat group")
    ONLINE = "online", _("Online form")
    # A finding of a representatives' inspection or research (duty/findings.py).
    ACTIVITY = "activity", _("Finding of an inspection or research")


# What an anonymised visit shows instead of the constituent's name (no language: data).
ANONYMISED = "——"


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
    channel = models.CharField(_("channel"), max_length=15, choices=VisitChannel)
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
    # PIPL: the version of the notice on personal data the constituent accepted (online
    # submissions; a desk visit leaves it empty), and when the personal data above was
    # erased (suggestions/cases/privacy.py), after which the fields hold ANONYMISED.
    consent_notice_version = models.CharField(
        _("notice on personal data accepted"), max_length=20, blank=True
    )
    consented_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
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
            # The anonymising sweep reads only the visits not done yet.
            models.Index(
                fields=["visited_at"],
                condition=models.Q(anonymised_at__isnull=True),
                name="visit_not_anonymised_idx",
            ),
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
