"""群众意见: the case and its seven steps, its co-units and its history."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base.history import Event
from liaison.base.models import Region
from liaison.base.validators import validate_phone, validate_plain_text
from suggestions.cases.tracking import CODE_REGEX, new_tracking_code
from suggestions.shared.models import (
    CaseCategory,
    HandlingUnit,
    WithDeadline,
    WithDeadlineQuerySet,
    deadline_indexes,
)


class Step(models.TextChoices):
    # The seven steps (七步工作法, 辰溪), in order.
    RECEIVED = "received", _("Received (接待)")  # raised at a visit, not yet sorted
    REGISTERED = "registered", _("Registered (登记)")  # classified, waiting for a disposition
    HANDLING = "handling", _("Handling (处理)")  # with a unit, or filed as a suggestion
    SUPERVISING = "supervising", _("Supervising (督办)")  # the committee is pressing the unit
    # Replied "being solved": still with the unit, which answers again by the date it gave.
    FOLLOW_UP = "follow_up", _("Under follow-up (跟踪办理)")
    REPLIED = "replied", _("Replied (回复)")  # the unit (or the liaison) has answered
    FEEDBACK = "feedback", _("Fed back (反馈)")  # the constituent has heard the result
    ARCHIVED = "archived", _("Archived (归档)")  # closed off (销号); read-only from now on
    # Terminal states outside the seven steps.
    MERGED = "merged", _("Merged into another case")  # a duplicate; follow merged_into
    WITHDRAWN = "withdrawn", _("Withdrawn")  # the constituent dropped it


CLOSED_STEPS = (Step.ARCHIVED, Step.MERGED, Step.WITHDRAWN)
IN_HANDS_OF_UNIT = (Step.HANDLING, Step.SUPERVISING, Step.FOLLOW_UP)


class Authority(models.TextChoices):
    TOWNSHIP = "township", _("Within the township's powers")
    TOWNSHIP_MAJOR = "township_major", _("Township-wide or major")
    COUNTY = "county", _("County level or above")
    CONSULTATION = "consultation", _("Consultation (a plain question)")


class Disposition(models.TextChoices):
    ON_THE_SPOT = "on_the_spot", _("Assigned on the spot (现场交办)")
    LETTER = "letter", _("Referred by letter (函件转办)")
    TOWNSHIP_REPORT = "township_report", _("Report and list to the township (报告+清单)")
    SUGGESTION = "suggestion", _("Turned into a representative suggestion")
    CONSULTATION = "consultation", _("Consultation answered by the liaison")


class ReplyResult(models.TextChoices):
    SOLVED = "solved", _("Solved or basically solved")
    IN_PROGRESS = "in_progress", _("Being solved or put into a plan")
    CANNOT = "cannot", _("Cannot be solved now (reason given)")
    ANSWERED = "answered", _("Question answered")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASIC = "basic", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class RatingSource(models.TextChoices):
    # Kept apart: the figures say whose word a rating is.
    CONSTITUENT = "constituent", _("The constituent, on the status page")
    LIAISON = "liaison", _("The liaison's feedback")
    CALLBACK = "callback", _("The call-back (回访)")


class CaseQuerySet(WithDeadlineQuerySet):
    # open(), overdue(today), not_overdue(today): suggestions/shared/models.py
    closed_steps = CLOSED_STEPS


class Case(WithDeadline, models.Model):
    """群众意见: what a visit raises; it runs the seven steps (see suggestions/flow.py).

    Only the services in suggestions/services.py change a case, each leaving a
    CaseEvent. Public fields (tracking code, title, step, public summary) carry
    no personal data: that stays on the Visit.
    """

    # Unique, without the pattern-ops copy Django adds for LIKE (migration 0019 drops it;
    # an AlterField of this column would bring it back).
    tracking_code = models.CharField(
        _("tracking code"), max_length=12, unique=True, default=new_tracking_code, editable=False
    )
    visit = models.ForeignKey(
        "stations.Visit", verbose_name=_("visit"), on_delete=models.PROTECT, related_name="cases"
    )
    # No index of its own, nor the station's and the category's: the (…, received_at)
    # indexes below serve every lookup one would (an updated case writes an entry in each
    # index of the table: the escalation sweep updates thousands at once).
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
    )
    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
    )
    title = models.CharField(_("title"), max_length=200, validators=[validate_plain_text])
    description = models.TextField(
        _("description"), max_length=5000, validators=[validate_plain_text]
    )
    category = models.ForeignKey(
        CaseCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        db_index=False,
    )
    authority = models.CharField(_("authority"), max_length=20, choices=Authority, blank=True)
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition, blank=True)
    step = models.CharField(_("step"), max_length=12, choices=Step, default=Step.RECEIVED)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_explanation = models.JSONField(
        _("how the deadline was computed"), default=dict, blank=True, editable=False
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_deadline = models.DateField(
        _("deadline last escalated"),
        null=True,
        blank=True,
        help_text=_("The deadline for which the last escalation fired."),
    )
    # Kept by the services whenever the deadline changes, and by the sweeps after each
    # action, so that each sweep is one range scan of the partial index below.
    next_sweep_on = models.DateField(
        _("next reminder or escalation"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When the daily sweeps next act on this case: the due-soon reminder, the "
            "unregistered flag or the next escalation level; empty when nothing is due."
        ),
    )
    lead_unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("lead unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_cases",
        # case_lead_unit_id_idx (lead_unit, id) serves every lookup this one would.
        db_index=False,
    )
    co_units = models.ManyToManyField(
        HandlingUnit,
        through="CaseCoUnit",
        verbose_name=_("co-units"),
        related_name="co_cases",
        blank=True,
    )
    # 三定: the lead unit names who handles the case and how, before it replies.
    handler = models.CharField(
        _("handler"), max_length=50, blank=True, validators=[validate_plain_text]
    )
    plan = models.TextField(
        _("handling plan"), max_length=2000, blank=True, validators=[validate_plain_text]
    )
    extension_until = models.DateField(_("extension requested until"), null=True, blank=True)
    extension_reason = models.CharField(
        _("reason for the extension"), max_length=500, blank=True, validators=[validate_plain_text]
    )
    result = models.CharField(_("result"), max_length=15, choices=ReplyResult, blank=True)
    reply = models.TextField(
        _("reply"), max_length=5000, blank=True, validators=[validate_plain_text]
    )
    # The reply written for the constituent (the unit writes it, the committee may edit
    # it until the constituent rates): shown on the status page, so no personal data.
    public_reply = models.TextField(
        _("reply to the constituent"),
        max_length=5000,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Shown to the constituent on the status page: no names, phones or addresses."),
    )
    satisfaction = models.CharField(
        _("satisfaction"), max_length=12, choices=Satisfaction, blank=True
    )
    # 销号 without a solved reply: the committee's conclusion that it cannot be solved now.
    conclusion = models.TextField(
        _("conclusion"),
        max_length=2000,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Why it cannot be solved now; shown to the constituent."),
    )
    concluded_at = models.DateTimeField(_("concluded"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("concluded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # case_concluded_by_idx, partial
    )
    # 退单: the lead unit may send a misrouted case back until this day.
    send_back_until = models.DateField(_("may be sent back until"), null=True, blank=True)
    # The call-back sweep considers a replied case on this day (then clears it).
    callback_on = models.DateField(_("call-back sampling due"), null=True, blank=True)
    # Whether the last reply came by the deadline then in force (set by the reply moves,
    # since a reply clears the deadline); empty before a reply. The on-time rate reads it.
    replied_on_time = models.BooleanField(_("replied on time"), null=True, blank=True)
    public_summary = models.TextField(
        _("public summary"),
        max_length=2000,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Shown to the public: no names, phones, addresses or ID numbers."),
    )
    is_key = models.BooleanField(_("key case"), default=False)
    published = models.BooleanField(_("published"), default=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_cases",
        db_index=False,  # case_merged_into_idx, partial
    )
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # case_created_by_idx, partial
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-id"]
        indexes = [
            *deadline_indexes("case", CLOSED_STEPS),
            models.Index(fields=["region", "received_at"], name="case_region_received_idx"),
            models.Index(fields=["station", "received_at"], name="case_station_received_idx"),
            models.Index(fields=["category", "received_at"], name="case_category_received_idx"),
            models.Index(fields=["step", "received_at"], name="case_step_received_idx"),
            models.Index(fields=["lead_unit", "step"], name="case_lead_unit_step_idx"),
            # A unit's cases newest first (the unit's API), and its open work by deadline
            # (the unit page): each half of handled.py's UNION stops after a page.
            models.Index(fields=["lead_unit", "id"], name="case_lead_unit_id_idx"),
            models.Index(
                fields=["lead_unit", "deadline", "id"],
                condition=~models.Q(step__in=CLOSED_STEPS),
                name="case_unit_open_deadline_idx",
            ),
            models.Index(fields=["received_at"], name="case_received_idx"),
            # Deadline windows over all cases (only cases not yet replied carry one).
            models.Index(fields=["deadline"], name="case_deadline_idx"),
            # Published outcomes on the public site, newest first, everywhere or by region.
            models.Index(
                fields=["closed_at", "id"],
                condition=models.Q(published=True),
                name="case_published_closed_idx",
            ),
            models.Index(
                fields=["region", "closed_at"],
                condition=models.Q(published=True),
                name="case_published_region_idx",
            ),
            # "Recently changed" on the staff work area: newest changes first, LIMIT n.
            models.Index(fields=["updated_at"], name="case_updated_idx"),
            # The call-back sweep: one range scan of the replied cases not yet considered.
            models.Index(
                fields=["callback_on"],
                condition=models.Q(callback_on__isnull=False),
                name="case_callback_due_idx",
            ),
            # Links most cases lack (a merge, a conclusion, a case typed in by staff): only
            # the rows that have one are indexed, for the lookups from the other side.
            *(
                models.Index(
                    fields=[field],
                    condition=models.Q(**{f"{field}__isnull": False}),
                    name=f"case_{field}_idx",
                )
                for field in ("merged_into", "concluded_by", "created_by")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tracking_code__regex=CODE_REGEX),
                name="case_tracking_code_format",
            ),
            models.CheckConstraint(
                condition=models.Q(step=Step.MERGED, merged_into__isnull=False)
                | (~models.Q(step=Step.MERGED) & models.Q(merged_into__isnull=True)),
                name="case_merged_has_target",
                violation_error_message=_("A merged case points to the case it was merged into."),
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")),
                name="case_not_merged_into_itself",
            ),
            models.CheckConstraint(
                condition=models.Q(step__in=[Step.RECEIVED, Step.MERGED, Step.WITHDRAWN])
                | models.Q(category__isnull=False, authority__gt=""),
                name="case_registered_is_classified",
                violation_error_message=_("A registered case has a category and an authority."),
            ),
            models.CheckConstraint(
                condition=~models.Q(step__in=IN_HANDS_OF_UNIT)
                | (
                    models.Q(deadline__isnull=False)
                    & (models.Q(lead_unit__isnull=False) | models.Q(disposition="suggestion"))
                ),
                name="case_handling_has_unit_and_deadline",
                violation_error_message=_("A case in handling has a lead unit and a deadline."),
            ),
            models.CheckConstraint(
                condition=~models.Q(step__in=[Step.REPLIED, Step.FEEDBACK, Step.ARCHIVED])
                | models.Q(result__gt="", replied_at__isnull=False),
                name="case_replied_has_result",
                violation_error_message=_("A replied case has a result."),
            ),
            models.CheckConstraint(
                condition=~models.Q(step__in=[Step.FEEDBACK, Step.ARCHIVED])
                | models.Q(satisfaction__gt=""),
                name="case_feedback_has_satisfaction",
                violation_error_message=_("Feedback records the constituent's satisfaction."),
            ),
            models.CheckConstraint(
                condition=models.Q(extension_until__isnull=True, extension_reason="")
                | models.Q(extension_until__isnull=False, extension_reason__gt=""),
                name="case_extension_has_reason",
                violation_error_message=_("An extension request gives a date and a reason."),
            ),
            models.CheckConstraint(
                condition=~models.Q(step=Step.FOLLOW_UP) | models.Q(public_reply__gt=""),
                name="case_follow_up_has_reply",
                violation_error_message=_("A case under follow-up has its interim reply."),
            ),
            models.CheckConstraint(
                condition=models.Q(conclusion="", concluded_at__isnull=True)
                | models.Q(conclusion__gt="", concluded_at__isnull=False),
                name="case_conclusion_dated",
                violation_error_message=_("A conclusion says why and when."),
            ),
            models.CheckConstraint(
                condition=models.Q(published=False) | models.Q(public_summary__gt=""),
                name="case_published_has_summary",
                violation_error_message=_("A published case needs a public summary."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.title}"

    def get_absolute_url(self) -> str:
        return f"/api/v1/cases/{self.pk}/"

    @property
    def is_closed(self) -> bool:
        return self.step in CLOSED_STEPS


class CaseCoUnit(models.Model):
    """A co-unit (协办单位) of a case: sees it and sends its opinion to the lead unit."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE)
    unit = models.ForeignKey(HandlingUnit, verbose_name=_("unit"), on_delete=models.PROTECT)
    # The case's deadline, so that a unit's co-handled cases by deadline are one walk of
    # case_co_unit_deadline_idx that stops after a page (handled.py). On PostgreSQL
    # triggers keep it (migration 0019), whoever writes the case, even the sweeps' UPDATE;
    # elsewhere it is not kept and not read.
    deadline = models.DateField(_("deadline"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("co-unit")
        verbose_name_plural = _("co-units")
        indexes = [
            models.Index(fields=["unit", "case"], name="case_co_unit_unit_idx"),
            models.Index(fields=["unit", "deadline", "case"], name="case_co_unit_deadline_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "unit"], name="case_co_unit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.case.tracking_code} · {self.unit}"


def case_ids_handled_by(unit_ids) -> models.QuerySet:
    """Ids of the cases the units lead or co-handle, as one subquery.

    A UNION of two index scans: ``lead_unit IN (…) OR id IN (co-units)`` cannot use an
    index for the OR, and PostgreSQL walks the whole case table instead.
    """
    led = Case.objects.filter(lead_unit_id__in=unit_ids).order_by().values("pk")
    co = CaseCoUnit.objects.filter(unit_id__in=unit_ids).order_by().values("case_id")
    return led.union(co)


class CaseEvent(Event):
    """One entry of a case's history: who, when, from which step to which, and why."""

    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="events",
        # case_event_case_at_idx (case, at) serves every lookup this one would; a sweep
        # writes thousands of events at once, each an entry in every index.
        db_index=False,
    )
    from_step = models.CharField(_("from"), max_length=12, choices=Step, blank=True)
    to_step = models.CharField(_("to"), max_length=12, choices=Step, blank=True)

    class Meta(Event.Meta):
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        indexes = [
            models.Index(fields=["case", "at"], name="case_event_case_at_idx"),
            # The supervision ledger (督办台账): supervisions and escalations of a period.
            models.Index(fields=["kind", "at"], name="case_event_kind_at_idx"),
        ]


class CaseRating(models.Model):
    """One rating of a reply round, by its source: the constituent (status page), the
    liaison (feedback) or the call-back. Each source rates a round once."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="ratings"
    )
    round = models.PositiveSmallIntegerField(_("round"), help_text=_("Times reopened before."))
    source = models.CharField(_("source"), max_length=12, choices=RatingSource)
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction)
    comment = models.TextField(
        _("comment"), max_length=500, blank=True, validators=[validate_plain_text]
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [models.Index(fields=["source", "at"], name="case_rating_source_at_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "round", "source"], name="case_rating_once_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.get_source_display()} · {self.get_satisfaction_display()}"


class CaseCallback(models.Model):
    """回访: a replied case the daily sweep sampled for a call; the clerk records it.
    A case is sampled at most once."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="callback"
    )
    picked_on = models.DateField(_("sampled on"))
    done_at = models.DateTimeField(_("called"), null=True, blank=True)
    reached = models.BooleanField(_("reached"), null=True, blank=True)

    class Meta:
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")
        indexes = [
            # The clerk's list: calls still to make, oldest first.
            models.Index(
                fields=["picked_on", "case"],
                condition=models.Q(done_at__isnull=True),
                name="case_callback_pending_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done_at__isnull=True, reached__isnull=True)
                | models.Q(done_at__isnull=False, reached__isnull=False),
                name="case_callback_done_says_reached",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.picked_on}"


class DataRequestKind(models.TextChoices):
    ACCESS = "access", _("See their personal data")
    DELETE = "delete", _("Delete their personal data")


class DataRequestStatus(models.TextChoices):
    OPEN = "open", _("Not handled yet")
    ANSWERED = "answered", _("Answered")
    DELETED = "deleted", _("Deleted")
    REFUSED = "refused", _("Refused")


class DataRequest(models.Model):
    """PIPL: a person's request to see or delete their personal data (the visits logged
    under their phone), received and handled by the committee of a region, and kept as
    the record of what was done (suggestions/cases/privacy.py)."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("request"), max_length=10, choices=DataRequestKind)
    name = models.CharField(_("name"), max_length=50, validators=[validate_plain_text])
    phone = models.CharField(_("phone"), max_length=20, validators=[validate_phone])
    note = models.TextField(_("note"), blank=True, validators=[validate_plain_text])
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DataRequestStatus, default=DataRequestStatus.OPEN
    )
    outcome = models.TextField(_("outcome"), blank=True, validators=[validate_plain_text])
    visits_found = models.PositiveIntegerField(_("visits found"), default=0)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["region", "received_at"], name="datarequest_region_idx")]

    def __str__(self) -> str:
        # Never the person's name or phone: this string lands in logs and admin messages.
        return f"{self.get_kind_display()} #{self.pk}"
