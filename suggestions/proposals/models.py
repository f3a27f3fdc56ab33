"""代表建议: the suggestion, its signers, units, replies, ratings, contacts and history.

Only ``suggestions/proposals/services/`` writes these rows, each move leaving a
``SuggestionEvent``. What a suggestion shows the public (title, content, the
representatives' names, the units, the reply and the rating) carries no
constituent's personal data.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from liaison.base.history import Event
from liaison.base.models import Region
from liaison.base.validators import validate_phone, validate_plain_text
from suggestions.shared.models import WithDeadline, WithDeadlineQuerySet


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


def _open_q() -> models.Q:
    return ~models.Q(step__in=CLOSED_STEPS)


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
    session = models.CharField(_("filed"), max_length=10, choices=Session.choices)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.DIRECT
    )
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
    key_leader = models.CharField(_("led by"), max_length=10, choices=KeyLeader.choices, blank=True)
    key_leader_name = models.CharField(
        _("leader's name"), max_length=50, blank=True, validators=[validate_plain_text]
    )
    step = models.CharField(
        _("step"), max_length=12, choices=SuggestionStep.choices, default=SuggestionStep.FILED
    )
    return_reason = models.CharField(
        _("reason for returning"), max_length=12, choices=ReturnReason.choices, blank=True
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
    extension = models.CharField(
        _("extension"), max_length=10, choices=Extension.choices, blank=True
    )
    extension_reason = models.CharField(
        _("reason for the extension"), max_length=500, blank=True, validators=[validate_plain_text]
    )
    round = models.PositiveSmallIntegerField(
        _("reply round"), default=1, help_text=_("1 for the first reply; one more per re-reply.")
    )
    reply_category = models.CharField(
        _("reply category"), max_length=1, choices=ReplyCategory.choices, blank=True
    )
    follow_up_until = models.DateField(_("expected to be solved by"), null=True, blank=True)
    satisfaction = models.CharField(_("rating"), max_length=12, choices=Rating.choices, blank=True)
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
            # The committee's inbox and the overdue lists: open suggestions by step and deadline.
            models.Index(
                fields=["region", "step", "deadline"],
                condition=_open_q(),
                name="sugg_open_region_step_dl_idx",
            ),
            models.Index(fields=["deadline"], condition=_open_q(), name="sugg_open_deadline_idx"),
            # The sweep's claim: only suggestions the sweep still has something to do for.
            models.Index(
                fields=["next_sweep_on", "id"],
                condition=models.Q(next_sweep_on__isnull=False),
                name="sugg_next_sweep_idx",
            ),
            models.Index(fields=["lead_unit", "step"], name="sugg_lead_unit_step_idx"),
            models.Index(fields=["region", "year", "category"], name="sugg_region_year_cat_idx"),
            models.Index(fields=["lead_representative", "year"], name="sugg_lead_rep_year_idx"),
            models.Index(fields=["step", "year"], name="sugg_step_year_idx"),
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
