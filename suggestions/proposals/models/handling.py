"""Around a suggestion: its signers, co-units, contacts (三访), replies, ratings and history."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base.history import Event
from liaison.base.validators import validate_plain_text
from suggestions.proposals.models.suggestion import (
    ContactStage,
    ContactWay,
    Rating,
    ReplyCategory,
    Suggestion,
    SuggestionStep,
)


class SuggestionSigner(models.Model):
    """A representative who signed the suggestion (the lead one included): each is
    answered and each rates the answer."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="signings"
    )
    representative = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        related_name="suggestion_signings",
    )
    is_lead = models.BooleanField(_("lead representative"), default=False)
    merged_from = models.ForeignKey(
        Suggestion,
        verbose_name=_("joined by merging"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("signer")
        verbose_name_plural = _("signers")
        ordering = ["-is_lead", "id"]
        indexes = [
            models.Index(fields=["representative", "suggestion"], name="sugg_signer_rep_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "representative"], name="sugg_signer_unique"
            ),
            models.UniqueConstraint(
                fields=["suggestion"],
                condition=models.Q(is_lead=True),
                name="sugg_one_lead_signer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion.number} · {self.representative}"


class SuggestionCoUnit(models.Model):
    """A co-unit (协办单位): sends its opinion to the lead unit within a month."""

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="co_unit_rows",
    )
    unit = models.ForeignKey(
        "suggestions.HandlingUnit", verbose_name=_("unit"), on_delete=models.PROTECT
    )
    due = models.DateField(_("opinion due"))
    due_explanation = models.JSONField(_("how the date was computed"), default=dict, blank=True)
    opinion = models.TextField(
        _("opinion"), max_length=5000, blank=True, validators=[validate_plain_text]
    )
    opinion_at = models.DateTimeField(_("opinion sent"), null=True, blank=True)
    opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reminded_for = models.DateField(_("opinion due date last reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-unit")
        verbose_name_plural = _("co-units")
        indexes = [
            models.Index(fields=["unit", "suggestion"], name="sugg_co_unit_unit_idx"),
            models.Index(
                fields=["due"],
                condition=models.Q(opinion_at__isnull=True),
                name="sugg_co_unit_due_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "unit"], name="sugg_co_unit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.suggestion.number} · {self.unit}"


class SuggestionContact(models.Model):
    """三访: the unit's contact with a representative before, during or after handling."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="contacts"
    )
    stage = models.CharField(_("stage"), max_length=8, choices=ContactStage.choices)
    way = models.CharField(_("way"), max_length=8, choices=ContactWay.choices)
    on = models.DateField(_("date"))
    note = models.TextField(_("note"), max_length=2000, validators=[validate_plain_text])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("contact with the representative")
        verbose_name_plural = _("contacts with the representative")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_stage_display()} {self.get_way_display()}"


class SuggestionReply(models.Model):
    """The unit's answer to one signer in one round (joint suggestions: one each)."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="replies"
    )
    round = models.PositiveSmallIntegerField(_("round"))
    representative = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.CharField(_("category"), max_length=1, choices=ReplyCategory.choices)
    text = models.TextField(_("reply"), max_length=10000, validators=[validate_plain_text])
    replied_at = models.DateTimeField(_("replied"), default=timezone.now)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round", "representative"], name="sugg_reply_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.suggestion.number} #{self.round} → {self.representative}"


class SuggestionRating(models.Model):
    """背靠背: a signer's rating of the reply, collected by the committee, never the unit."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.CASCADE, related_name="ratings"
    )
    round = models.PositiveSmallIntegerField(_("round"))
    representative = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("representative"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    rating = models.CharField(_("rating"), max_length=12, choices=Rating.choices)
    note = models.TextField(
        _("opinion"), max_length=2000, blank=True, validators=[validate_plain_text]
    )
    rated_at = models.DateTimeField(_("rated"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The representative, or committee staff entering a paper rating form."),
    )

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round", "representative"], name="sugg_rating_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.suggestion.number} #{self.round} {self.get_rating_display()}"


def suggestion_ids_handled_by(unit_ids) -> models.QuerySet:
    """Ids of the suggestions the units lead or co-handle, as one subquery: a UNION of
    two index scans (an OR of the two conditions can use neither index)."""
    led = Suggestion.objects.filter(lead_unit_id__in=unit_ids).order_by().values("pk")
    co = SuggestionCoUnit.objects.filter(unit_id__in=unit_ids).order_by().values("suggestion_id")
    return led.union(co)


class SuggestionEvent(Event):
    """One entry of a suggestion's history (see liaison/history.py)."""

    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("suggestion"), on_delete=models.PROTECT, related_name="events"
    )
    from_step = models.CharField(
        _("from"), max_length=12, choices=SuggestionStep.choices, blank=True
    )
    to_step = models.CharField(_("to"), max_length=12, choices=SuggestionStep.choices, blank=True)

    class Meta(Event.Meta):
        verbose_name = _("suggestion event")
        verbose_name_plural = _("suggestion events")
        indexes = [models.Index(fields=["suggestion", "at"], name="sugg_event_sugg_at_idx")]
