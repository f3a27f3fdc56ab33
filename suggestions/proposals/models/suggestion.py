"""代表建议: the suggestion itself, its steps and the choices its fields take."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.base.models import Region
from liaison.base.validators import validate_phone, validate_plain_text
from suggestions.shared.models import WithDeadline, WithDeadlineQuerySet, deadline_indexes


class SuggestionStep(models.TextChoices):
    FILED = (
        "filed",
        pgettext_lazy("suggestion step", "Filed"),
    )  # submitted by a representative, waiting for the committee
    RETURNED = "returned", _("Returned")  # not accepted, with a reason; read-only
    ACCEPTED = "accepted", _("Accepted")  # waiting to be assigned (again, if sent back)
    # with a lead unit that has not started yet
    ASSIGNED = "assigned", pgettext_lazy("suggestion step", "Assigned")
    HANDLING = "handling", _("Handling")  # the lead unit has fixed handler, plan and date
    REPLIED = "replied", _("Replied")  # answered; waiting for the representatives' ratings
    RATED = "rated", _("Rated")  # every signer has rated; the committee decides what next
    REHANDLING = "rehandling", _("Re-handling")  # rated unsatisfied: handled and answered again
    FOLLOW_UP = "follow_up", _("Followed up")  # category B: answered again when solved
    CLOSED = "closed", _("Closed")  # done (办结); read-only
    MERGED = "merged", _("Merged")  # answered together with merged_into; read-only


CLOSED_STEPS = (SuggestionStep.RETURNED, SuggestionStep.CLOSED, SuggestionStep.MERGED)
# Where the lead unit owes a reply and the reply clock runs.
WITH_UNIT = (SuggestionStep.ASSIGNED, SuggestionStep.HANDLING, SuggestionStep.REHANDLING)


class Session(models.TextChoices):
    SESSION = "session", _("During the congress session")
    RECESS = "recess", _("Between sessions")


class Source(models.TextChoices):
    DIRECT = "direct", _("Filed directly")
    CASE = "case", _("From a station case")


class KeyLeader(models.TextChoices):
    DIRECTOR = "director", _("Led with the congress director (主任联办)")
    MAYOR = "mayor", _("Led by the mayor (市长领办)")


class ReturnReason(models.TextChoices):
    NOT_LOCAL = "not_local", _("Not within the powers of local organs")
    PERSONAL = "personal", _("A personal matter")
    NO_CONTENT = "no_content", _("No substantive content")


class ReplyCategory(models.TextChoices):
    A = "A", _("A: solved or basically solved")
    B = "B", _("B: being solved or put into a plan")
    C = "C", _("C: cannot be solved now (reason given)")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class ContactStage(models.TextChoices):
    BEFORE = "before", _("Before handling")
    DURING = "during", _("During handling")
    AFTER = "after", _("After the reply")


class ContactWay(models.TextChoices):
    VISIT = "visit", _("Visit")
    MEETING = "meeting", _("Meeting in person")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    ONLINE = "online", _("Online")


class Extension(models.TextChoices):
    NONE = "", _("None")
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class SuggestionQuerySet(WithDeadlineQuerySet):
    # open(), overdue(today), not_overdue(today): suggestions/shared/models.py
    closed_steps = CLOSED_STEPS

    def published(self) -> "SuggestionQuerySet":
        return self.filter(published=True)


class Suggestion(WithDeadline, models.Model):
    """代表建议: see suggestions/proposals/flow.py for how it moves."""

    region = models.ForeignKey(
        Region,
        verbose_name=_("congress"),
        on_delete=models.PROTECT,
        related_name="suggestions",
        help_text=_("The region whose congress receives the suggestion."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=12, editable=False)
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    content = models.TextField(_("content"), max_length=10000, validators=[validate_plain_text])
    lead_representative = models.ForeignKey(
        "representatives.Representative",
        verbose_name=_("lead representative"),
        on_delete=models.PROTECT,
        related_name="led_suggestions",
    )
    signers = models.ManyToManyField(
        "representatives.Representative",
        through="SuggestionSigner",
        through_fields=("suggestion", "representative"),
        verbose_name=_("signers"),
        related_name="suggestions",
    )
    session = models.CharField(_("filed"), max_length=10, choices=Session)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.DIRECT)
    source_case = models.OneToOneField(
        "suggestions.Case",
        verbose_name=_("source case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestion",
    )
    category = models.ForeignKey(
        "suggestions.CaseCategory",
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    is_key = models.BooleanField(_("key suggestion"), default=False)
    key_leader = models.CharField(_("led by"), max_length=10, choices=KeyLeader, blank=True)
    key_leader_name = models.CharField(
        _("leader's name"), max_length=50, blank=True, validators=[validate_plain_text]
    )
    step = models.CharField(
        _("step"), max_length=12, choices=SuggestionStep, default=SuggestionStep.FILED
    )
    return_reason = models.CharField(
        _("reason for returning"), max_length=12, choices=ReturnReason, blank=True
    )
    lead_unit = models.ForeignKey(
        "suggestions.HandlingUnit",
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_suggestions",
    )
    co_units = models.ManyToManyField(
        "suggestions.HandlingUnit",
        through="SuggestionCoUnit",
        verbose_name=_("co-units"),
        related_name="co_suggestions",
        blank=True,
    )
    # 三定: who handles it, how, and when the reply comes.
    handler_name = models.CharField(
        _("handler"), max_length=50, blank=True, validators=[validate_plain_text]
    )
    handler_phone = models.CharField(
        _("handler's phone"), max_length=20, blank=True, validators=[validate_phone]
    )
    plan = models.TextField(
        _("handling plan"), max_length=5000, blank=True, validators=[validate_plain_text]
    )
    planned_reply_date = models.DateField(_("planned reply date"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_explanation = models.JSONField(
        _("how the deadline was computed"), default=dict, blank=True, editable=False
    )
    reminded_for = models.DateField(
        _("deadline last reminded"),
        null=True,
        blank=True,
        help_text=_("The deadline for which the due-soon reminder went out."),
    )
    escalated_for = models.DateField(
        _("deadline last escalated"),
        null=True,
        blank=True,
        help_text=_("The deadline for which the last escalation fired."),
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    # Kept by the services whenever the deadline changes, and by the sweep after each
    # action, so that the sweep is one range scan of the partial index below.
    next_sweep_on = models.DateField(
        _("next reminder or escalation"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When the daily sweep next acts on this suggestion: the due-soon reminder or "
            "the next escalation level; empty when nothing is due."
        ),
    )
    extension = models.CharField(_("extension"), max_length=10, choices=Extension, blank=True)
    extension_reason = models.CharField(
        _("reason for the extension"), max_length=500, blank=True, validators=[validate_plain_text]
    )
    round = models.PositiveSmallIntegerField(
        _("reply round"), default=1, help_text=_("1 for the first reply; one more per re-reply.")
    )
    reply_category = models.CharField(
        _("reply category"), max_length=1, choices=ReplyCategory, blank=True
    )
    follow_up_until = models.DateField(_("expected to be solved by"), null=True, blank=True)
    satisfaction = models.CharField(_("rating"), max_length=12, choices=Rating, blank=True)
    rehandle_count = models.PositiveSmallIntegerField(_("times re-handled"), default=0)
    replied_on_time = models.BooleanField(_("first reply on time"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    excellent = models.BooleanField(_("excellent suggestion of the year"), default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_suggestions",
    )
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    received_on = models.DateField(_("received"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    first_replied_at = models.DateTimeField(_("first replied"), null=True, blank=True)
    replied_at = models.DateTimeField(_("last replied"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("representative suggestion")
        verbose_name_plural = _("representative suggestions")
        ordering = ["-id"]
        indexes = [
            *deadline_indexes("sugg", CLOSED_STEPS),
            models.Index(fields=["lead_unit", "step"], name="sugg_lead_unit_step_idx"),
            models.Index(fields=["region", "year", "category"], name="sugg_region_year_cat_idx"),
            models.Index(fields=["lead_representative", "year"], name="sugg_lead_rep_year_idx"),
            models.Index(fields=["step", "year"], name="sugg_step_year_idx"),
            # Received in a period (the list's dates, the figures' suggestions of a place).
            models.Index(fields=["region", "received_on"], name="sugg_region_received_idx"),
            # The committee's inbox: extensions waiting for a decision.
            models.Index(
                fields=["region"],
                condition=models.Q(extension="requested"),
                name="sugg_extension_requested_idx",
            ),
            models.Index(
                fields=["year", "excellent"],
                condition=models.Q(published=True),
                name="sugg_published_year_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "sequence"], name="sugg_number_unique_in_region"
            ),
            models.CheckConstraint(
                condition=models.Q(is_key=True) | models.Q(key_leader=""),
                name="sugg_leader_only_when_key",
                violation_error_message=_("Only a key suggestion has a leader who leads it."),
            ),
            models.CheckConstraint(
                condition=~models.Q(step=SuggestionStep.RETURNED) | models.Q(return_reason__gt=""),
                name="sugg_returned_has_reason",
                violation_error_message=_("A returned suggestion gives the reason."),
            ),
            models.CheckConstraint(
                condition=models.Q(step=SuggestionStep.MERGED, merged_into__isnull=False)
                | (~models.Q(step=SuggestionStep.MERGED) & models.Q(merged_into__isnull=True)),
                name="sugg_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")),
                name="sugg_not_merged_into_itself",
            ),
            models.CheckConstraint(
                condition=~models.Q(
                    step__in=[
                        *WITH_UNIT,
                        SuggestionStep.REPLIED,
                        SuggestionStep.RATED,
                        SuggestionStep.FOLLOW_UP,
                    ]
                )
                | models.Q(lead_unit__isnull=False),
                name="sugg_assigned_has_lead_unit",
                violation_error_message=_("An assigned suggestion has a lead unit."),
            ),
            models.CheckConstraint(
                condition=~models.Q(step__in=[SuggestionStep.HANDLING, SuggestionStep.REHANDLING])
                | models.Q(handler_name__gt="", plan__gt=""),
                name="sugg_handling_has_three_fixes",
                violation_error_message=_("Handling starts with a handler and a plan (三定)."),
            ),
            models.CheckConstraint(
                condition=~models.Q(step__in=[SuggestionStep.REPLIED, SuggestionStep.RATED])
                | models.Q(reply_category__gt="", replied_at__isnull=False),
                name="sugg_replied_has_category",
                violation_error_message=_("A replied suggestion has a reply category."),
            ),
            models.CheckConstraint(
                condition=~models.Q(step=SuggestionStep.RATED) | models.Q(satisfaction__gt=""),
                name="sugg_rated_has_rating",
            ),
            models.CheckConstraint(
                condition=models.Q(published=False)
                | ~models.Q(step__in=[SuggestionStep.FILED, SuggestionStep.RETURNED]),
                name="sugg_published_only_when_accepted",
                violation_error_message=_("Only an accepted suggestion is published."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return f"/api/v1/suggestions/{self.pk}/"

    @property
    def is_closed(self) -> bool:
        return self.step in CLOSED_STEPS
