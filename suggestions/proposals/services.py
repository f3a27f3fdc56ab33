"""Every change to a suggestion: one function per transition of ``flow.py``.

Each locks the suggestion row, checks the step, the actor and the fields, then
writes the change, a ``SuggestionEvent`` and any outbox rows in one
transaction. Refusals are the case flow's named errors: ``IllegalTransition``,
``NotAllowed``, ``Conflict``, or ``ValidationError`` with field errors.
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.jurisdiction import settings_for
from liaison.moves import Conflict, IllegalTransition, NotAllowed
from liaison.moves import clean_text as _text
from liaison.moves import raise_errors as _raise
from liaison.notifications.models import NotificationKind
from liaison.notifications.services import notifications_enqueue
from liaison.scopes import cases_visible_to, scope_of
from representatives.models import Representative
from suggestions import deadlines
from suggestions import services as case_services
from suggestions.models import IN_HANDS_OF_UNIT, Case, CaseCategory, Disposition, HandlingUnit
from suggestions.proposals import notices
from suggestions.proposals.flow import TRANSITIONS, Transition, committee, may_file_for
from suggestions.proposals.models import (
    Extension,
    KeyLeader,
    Rating,
    ReplyCategory,
    ReturnReason,
    Session,
    Source,
    Suggestion,
    SuggestionContact,
    SuggestionCoUnit,
    SuggestionEvent,
    SuggestionRating,
    SuggestionReply,
    SuggestionSigner,
    SuggestionStep,
)

__all__ = ["Conflict", "IllegalTransition", "NotAllowed"]

EXCELLENT_PER_YEAR = 10  # 浏阳: ten excellent suggestions chosen each year
# The case reply that follows a suggestion's reply, by category.
CASE_RESULT = {ReplyCategory.A: "solved", ReplyCategory.B: "in_progress", ReplyCategory.C: "cannot"}
_RATING_ORDER = [Rating.UNSATISFIED, Rating.BASIC, Rating.SATISFIED]


# FILE, ACCEPT, RETURN, MERGE


@transaction.atomic
def suggestion_file(
    *,
    actor,
    lead_representative: Representative,
    title: str,
    content: str,
    session: str,
    co_signers: Iterable[Representative] = (),
    category: CaseCategory | None = None,
    source_case_id: int | None = None,
) -> Suggestion:
    """A representative files a suggestion, alone or jointly, directly or from a case."""
    if lead_representative is None or not may_file_for(actor, lead_representative):
        raise NotAllowed(
            _("You may file suggestions only as, or for, a representative in your scope.")
        )
    errors: dict = {}
    title = _text(errors, "title", title, max_length=200)
    content = _text(errors, "content", content, max_length=10000)
    if session not in Session.values:
        errors["session"] = [_("Say whether it is filed during the session or between sessions.")]
    if category is not None and not category.active:
        errors["category"] = [_("Choose an active category.")]
    co_signers = {rep.pk: rep for rep in co_signers if rep.pk != lead_representative.pk}
    case = None
    if source_case_id is not None:
        case = _source_case(actor, source_case_id, errors)
    _raise(errors)
    today = timezone.localdate()
    suggestion = Suggestion(
        region_id=lead_representative.region_id,
        year=today.year,
        title=title,
        content=content,
        lead_representative=lead_representative,
        session=session,
        source=Source.CASE if case else Source.DIRECT,
        source_case=case,
        category=category or (case.category if case else None),
        received_on=today,
        filed_by=actor,
    )
    if session == Session.RECESS:
        rules = settings_for(suggestion.region_id)
        suggestion.deadline, suggestion.deadline_explanation = deadlines.in_workdays(
            start=today, workdays=rules.suggestion_assign_workdays, rule="suggestion_assign"
        )
    _save_numbered(suggestion)
    SuggestionSigner.objects.bulk_create(
        [SuggestionSigner(suggestion=suggestion, representative=lead_representative, is_lead=True)]
        + [
            SuggestionSigner(suggestion=suggestion, representative=rep)
            for rep in co_signers.values()
        ]
    )
    _event(
        suggestion,
        kind="file",
        actor=actor,
        from_step="",
        data={"co_signers": sorted(co_signers), "case": case.pk if case else None},
    )
    return suggestion


def _source_case(actor, case_id: int, errors: dict):
    case = cases_visible_to(actor).filter(pk=case_id).first()
    if case is None and scope_of(actor).representative_id is not None:
        # A representative files what the committee turned into a suggestion for them.
        case = (
            Case.objects.filter(pk=case_id, disposition=Disposition.SUGGESTION)
            .filter(visit__representatives=scope_of(actor).representative_id)
            .first()
        )
    if case is None:
        errors["source_case"] = [_("No such case.")]
    elif case.disposition != Disposition.SUGGESTION or case.step not in IN_HANDS_OF_UNIT:
        errors["source_case"] = [_("Only a case turned into a suggestion can be its source.")]
    elif Suggestion.objects.filter(source_case=case).exists():
        errors["source_case"] = [_("This case already has its suggestion.")]
    return case


def _save_numbered(suggestion: Suggestion) -> None:
    """The next number of the region's year (2026-0012); a clash with a concurrent
    filing takes the next one."""
    for attempt in range(5):
        last = Suggestion.objects.filter(region_id=suggestion.region_id, year=suggestion.year)
        suggestion.sequence = (last.aggregate(n=Max("sequence"))["n"] or 0) + 1
        suggestion.number = f"{suggestion.year}-{suggestion.sequence:04d}"
        try:
            with transaction.atomic():
                suggestion.save()
            return
        except IntegrityError:
            if attempt == 4:
                raise


@transaction.atomic
def suggestion_accept(
    *,
    suggestion_id: int,
    actor,
    category: CaseCategory | None = None,
    is_key: bool | None = None,
    key_leader: str = "",
    key_leader_name: str = "",
    note: str = "",
) -> Suggestion:
    """立案: the committee accepts the suggestion (and may classify it and mark it key)."""
    suggestion, transition = _start("accept", suggestion_id=suggestion_id, actor=actor)
    errors: dict = {}
    if category is not None:
        if not category.active:
            errors["category"] = [_("Choose an active category.")]
        suggestion.category = category
    if suggestion.category is None:
        errors.setdefault("category", [_("Choose a category.")])
    _key(suggestion, errors, is_key, key_leader, key_leader_name)
    note = _text(errors, "note", note, required=False)
    _raise(errors)
    suggestion.accepted_at = timezone.now()
    changed = ["category", "is_key", "key_leader", "key_leader_name", "accepted_at"]
    return _finish(suggestion, transition, actor=actor, changed=changed, note=note)


def _key(suggestion, errors, is_key, key_leader, key_leader_name) -> None:
    if is_key is None:
        return
    if key_leader and key_leader not in KeyLeader.values:
        errors["key_leader"] = [_("Choose who leads the key suggestion.")]
    if is_key and not key_leader:
        errors["key_leader"] = [_("A key suggestion is led by the director or the mayor.")]
    suggestion.is_key = is_key
    suggestion.key_leader = key_leader if is_key else ""
    suggestion.key_leader_name = _text(
        errors, "key_leader_name", key_leader_name if is_key else "", required=False, max_length=50
    )


@transaction.atomic
def suggestion_return(*, suggestion_id: int, actor, reason: str, note: str) -> Suggestion:
    """退回: not accepted as a suggestion, with the reason told to the representative."""
    suggestion, transition = _start("return", suggestion_id=suggestion_id, actor=actor)
    errors: dict = {}
    if reason not in ReturnReason.values:
        errors["reason"] = [_("Choose why the suggestion is returned.")]
    note = _text(errors, "note", note)
    _raise(errors)
    suggestion.return_reason, suggestion.closed_at = reason, timezone.now()
    _clear_deadline(suggestion)
    return _finish(
        suggestion,
        transition,
        actor=actor,
        changed=["return_reason", "closed_at", *_DEADLINE],
        note=note,
        data={"reason": reason},
    )


@transaction.atomic
def suggestion_merge(*, suggestion_id: int, actor, into_id: int, note: str = "") -> Suggestion:
    """Identical suggestions are merged: the signers join the other one and are
    answered together with it."""
    if into_id == suggestion_id:
        raise ValidationError({"into": _("A suggestion cannot be merged into itself.")})
    locked = {s.pk: s for s in _lock_many([suggestion_id, into_id])}
    if into_id not in locked:
        raise ValidationError({"into": _("No such suggestion.")})
    target = locked[into_id]
    suggestion, transition = _start(
        "merge", suggestion_id=suggestion_id, actor=actor, suggestion=locked.get(suggestion_id)
    )
    open_targets = {
        SuggestionStep.FILED,
        SuggestionStep.ACCEPTED,
        SuggestionStep.ASSIGNED,
        SuggestionStep.HANDLING,
    }
    if target.step not in open_targets:
        raise IllegalTransition(_("A suggestion can only be merged into one not yet answered."))
    if not committee(actor, target):
        raise NotAllowed(_("You cannot act on the suggestion to merge into."))
    errors: dict = {}
    note = _text(errors, "note", note, required=False)
    _raise(errors)
    present = set(target.signings.values_list("representative_id", flat=True))
    joining = [
        rep_id
        for rep_id in suggestion.signings.values_list("representative_id", flat=True)
        if rep_id not in present
    ]
    SuggestionSigner.objects.bulk_create(
        [
            SuggestionSigner(suggestion=target, representative_id=rep_id, merged_from=suggestion)
            for rep_id in joining
        ]
    )
    suggestion.merged_into, suggestion.closed_at = target, timezone.now()
    _clear_deadline(suggestion)
    _event(
        target,
        kind="absorb",
        actor=actor,
        from_step=target.step,
        data={"merged": suggestion.pk, "number": suggestion.number, "signers": joining},
    )
    return _finish(
        suggestion,
        transition,
        actor=actor,
        changed=["merged_into", "closed_at", *_DEADLINE],
        note=note,
        data={"into": target.pk, "number": target.number},
    )


# ASSIGN, SEND BACK, START, CONTACTS, CO-UNITS


@transaction.atomic
def suggestion_assign(
    *,
    suggestion_id: int,
    actor,
    lead_unit: HandlingUnit,
    co_units: Iterable[HandlingUnit] = (),
    is_key: bool | None = None,
    key_leader: str = "",
    key_leader_name: str = "",
    note: str = "",
) -> Suggestion:
    """交办: one lead unit and any co-units; the reply and the co-units' opinions fall due."""
    suggestion, transition = _start("assign", suggestion_id=suggestion_id, actor=actor)
    co_units = {co.pk: co for co in co_units if co.pk != getattr(lead_unit, "pk", None)}
    errors: dict = {}
    if lead_unit is None or not lead_unit.active:
        errors["lead_unit"] = [_("Choose an active lead unit.")]
    if any(not co.active for co in co_units.values()):
        errors["co_units"] = [_("Every co-unit must be active.")]
    _key(suggestion, errors, is_key, key_leader, key_leader_name)
    note = _text(errors, "note", note, required=False)
    _raise(errors)
    today = timezone.localdate()
    assigned_late = bool(
        suggestion.deadline_explanation.get("rule") == "suggestion_assign"
        and suggestion.deadline
        and today > suggestion.deadline
    )
    rules = settings_for(suggestion.region_id)
    suggestion.deadline, suggestion.deadline_explanation = deadlines.in_months(
        start=today, months=rules.suggestion_reply_months, rule="suggestion_reply"
    )
    due, explanation = deadlines.in_months(
        start=today, months=rules.suggestion_counit_months, rule="suggestion_counit"
    )
    SuggestionCoUnit.objects.bulk_create(
        [
            SuggestionCoUnit(suggestion=suggestion, unit=co, due=due, due_explanation=explanation)
            for co in co_units.values()
        ]
    )
    suggestion.lead_unit, suggestion.assigned_at = lead_unit, timezone.now()
    suggestion.reminded_for = suggestion.escalated_for = None
    suggestion.escalation_level = 0
    recipients = notices.Recipients.load(unit_ids=[lead_unit.pk, *co_units])
    body = gettext("%(what)s has been assigned to your unit; reply due %(date)s.") % {
        "what": notices.label(suggestion),
        "date": suggestion.deadline.isoformat(),
    }
    notifications_enqueue(
        notifications=[
            row
            for unit_id in [lead_unit.pk, *co_units]
            for row in notices.to_unit(
                suggestion,
                unit_id,
                recipients,
                kind=NotificationKind.SUGGESTION_ASSIGNED,
                key=f"a{suggestion.assigned_at:%Y%m%d%H%M%S}",
                title=gettext("Suggestion assigned"),
                body=body,
                due=today,
            )
        ]
    )
    changed = [
        "lead_unit",
        "assigned_at",
        "is_key",
        "key_leader",
        "key_leader_name",
        *_ESCALATION,
        *_DEADLINE,
    ]
    data = {
        "lead_unit": lead_unit.pk,
        "co_units": sorted(co_units),
        "assigned_late": assigned_late,
    }
    return _finish(suggestion, transition, actor=actor, changed=changed, note=note, data=data)


@transaction.atomic
def suggestion_send_back(*, suggestion_id: int, actor, reason: str) -> Suggestion:
    """Misrouted: the lead unit sends it back, with the reason, for the committee to
    assign again (within the assignment limit from today)."""
    suggestion, transition = _start("send_back", suggestion_id=suggestion_id, actor=actor)
    errors: dict = {}
    reason = _text(errors, "reason", reason)
    _raise(errors)
    co_rows = SuggestionCoUnit.objects.filter(suggestion=suggestion)
    data = {
        "lead_unit": suggestion.lead_unit_id,
        "co_units": list(co_rows.values_list("unit_id", flat=True)),
    }
    co_rows.delete()
    rules = settings_for(suggestion.region_id)
    suggestion.deadline, suggestion.deadline_explanation = deadlines.in_workdays(
        start=timezone.localdate(),
        workdays=rules.suggestion_assign_workdays,
        rule="suggestion_assign",
    )
    suggestion.lead_unit = suggestion.assigned_at = suggestion.planned_reply_date = None
    suggestion.handler_name = suggestion.handler_phone = suggestion.plan = ""
    suggestion.extension, suggestion.extension_reason = Extension.NONE, ""
    suggestion.reminded_for = suggestion.escalated_for = None
    suggestion.escalation_level = 0
    changed = [
        "lead_unit",
        "assigned_at",
        "planned_reply_date",
        "handler_name",
        "handler_phone",
        "plan",
        "extension",
        "extension_reason",
        *_ESCALATION,
        *_DEADLINE,
    ]
    return _finish(suggestion, transition, actor=actor, changed=changed, note=reason, data=data)


@transaction.atomic
def suggestion_start(
    *,
    suggestion_id: int,
    actor,
    handler_name: str,
    plan: str,
    planned_reply_date: dt.date,
    handler_phone: str = "",
) -> Suggestion:
    """三定: the lead unit fixes the handler, the plan and the reply date; the signers
    get an SMS before handling starts (办前有短信提醒)."""
    suggestion, transition = _start("start", suggestion_id=suggestion_id, actor=actor)
    errors: dict = {}
    suggestion.handler_name = _text(errors, "handler_name", handler_name, max_length=50)
    suggestion.plan = _text(errors, "plan", plan, max_length=5000)
    suggestion.handler_phone = (handler_phone or "").strip()
    today = timezone.localdate()
    if planned_reply_date is None or planned_reply_date < today:
        errors["planned_reply_date"] = [_("Give a reply date from today on.")]
    elif suggestion.deadline and planned_reply_date > suggestion.deadline:
        errors["planned_reply_date"] = [
            _("The reply is due by %(date)s.") % {"date": suggestion.deadline.isoformat()}
        ]
    if suggestion.handler_phone:
        try:
            Suggestion._meta.get_field("handler_phone").run_validators(suggestion.handler_phone)
        except ValidationError as error:
            errors["handler_phone"] = error.messages
    _raise(errors)
    suggestion.planned_reply_date = planned_reply_date
    body = gettext(
        "%(what)s: %(unit)s has started handling it. Handler: %(handler)s; reply by %(date)s."
    ) % {
        "what": notices.label(suggestion),
        "unit": suggestion.lead_unit.name,
        "handler": suggestion.handler_name,
        "date": planned_reply_date.isoformat(),
    }
    notifications_enqueue(
        notifications=notices.to_signers(
            suggestion,
            kind=NotificationKind.SUGGESTION_STARTED,
            key=f"u{suggestion.lead_unit_id}",
            title=gettext("Your suggestion is being handled"),
            body=body,
            due=today,
        )
    )
    changed = ["handler_name", "handler_phone", "plan", "planned_reply_date"]
    return _finish(
        suggestion,
        transition,
        actor=actor,
        changed=changed,
        data={"planned_reply_date": planned_reply_date.isoformat()},
    )


@transaction.atomic
def suggestion_record_contact(
    *, suggestion_id: int, actor, stage: str, way: str, on: dt.date, note: str
) -> SuggestionContact:
    """三访: a contact with the representative before, during or after handling."""
    suggestion, transition = _start("record_contact", suggestion_id=suggestion_id, actor=actor)
    contact = SuggestionContact(
        suggestion=suggestion,
        stage=stage,
        way=way,
        on=on,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    errors: dict = {}
    if on is not None and on > timezone.localdate():
        errors["on"] = [_("A contact is recorded once it has happened.")]
    try:
        contact.full_clean(exclude=["suggestion", "recorded_by"])
    except ValidationError as error:
        errors.update(error.message_dict)
    _raise(errors)
    contact.save()
    _finish(
        suggestion,
        transition,
        actor=actor,
        changed=[],
        note=contact.note,
        data={"stage": stage, "way": way, "on": on.isoformat()},
    )
    return contact


@transaction.atomic
def suggestion_counit_opinion(
    *, suggestion_id: int, actor, opinion: str, unit: HandlingUnit | None = None
) -> Suggestion:
    """A co-unit sends its opinion to the lead unit (once)."""
    suggestion, transition = _start("counit_opinion", suggestion_id=suggestion_id, actor=actor)
    rows = SuggestionCoUnit.objects.filter(
        suggestion=suggestion, unit_id__in=scope_of(actor).unit_ids
    )
    if unit is not None:
        rows = rows.filter(unit=unit)
    row = rows.select_for_update().order_by("pk").first()
    errors: dict = {}
    if row is None:
        errors["unit"] = [_("Your unit is not a co-unit of this suggestion.")]
    elif row.opinion_at is not None:
        raise IllegalTransition(_("Your unit has already sent its opinion."))
    opinion = _text(errors, "opinion", opinion, max_length=5000)
    _raise(errors)
    row.opinion, row.opinion_at, row.opinion_by = opinion, timezone.now(), actor
    row.save(update_fields=["opinion", "opinion_at", "opinion_by"])
    on_time = timezone.localdate() <= row.due
    return _finish(
        suggestion,
        transition,
        actor=actor,
        changed=[],
        note=opinion,
        data={"unit": row.unit_id, "on_time": on_time},
    )


# EXTENSION


@transaction.atomic
def suggestion_request_extension(*, suggestion_id: int, actor, reason: str) -> Suggestion:
    """A wide or hard matter: the unit tells the representatives why and asks the
    committee for the six-month limit."""
    suggestion, transition = _start("request_extension", suggestion_id=suggestion_id, actor=actor)
    errors: dict = {}
    reason = _text(errors, "reason", reason, max_length=500)
    _raise(errors)
    suggestion.extension, suggestion.extension_reason = Extension.REQUESTED, reason
    body = gettext(
        "%(what)s: %(unit)s needs more time to reply and has asked the committee for an "
        "extension. Reason: %(reason)s"
    ) % {"what": notices.label(suggestion), "unit": suggestion.lead_unit.name, "reason": reason}
    notifications_enqueue(
        notifications=notices.to_signers(
            suggestion,
            kind=NotificationKind.SUGGESTION_EXTENSION,
            key="request",
            title=gettext("Reply to your suggestion extended"),
            body=body,
            due=timezone.localdate(),
        )
    )
    return _finish(
        suggestion, transition, actor=actor, changed=["extension", "extension_reason"], note=reason
    )


@transaction.atomic
def suggestion_approve_extension(*, suggestion_id: int, actor, note: str = "") -> Suggestion:
    """The committee approves: the reply is due six months after assignment."""
    suggestion, transition = _start("approve_extension", suggestion_id=suggestion_id, actor=actor)
    errors: dict = {}
    note = _text(errors, "note", note, required=False)
    _raise(errors)
    previous = suggestion.deadline
    rules = settings_for(suggestion.region_id)
    suggestion.deadline, suggestion.deadline_explanation = deadlines.in_months(
        start=timezone.localtime(suggestion.assigned_at).date(),
        months=rules.suggestion_extended_reply_months,
        rule="suggestion_extended",
    )
    suggestion.deadline_explanation["reason"] = suggestion.extension_reason
    suggestion.extension = Extension.APPROVED
    return _finish(
        suggestion,
        transition,
        actor=actor,
        changed=["extension", *_DEADLINE],
        note=note,
        data={"previous_deadline": previous.isoformat() if previous else None},
    )


@transaction.atomic
def suggestion_refuse_extension(*, suggestion_id: int, actor, note: str) -> Suggestion:
    suggestion, transition = _start("refuse_extension", suggestion_id=suggestion_id, actor=actor)
    errors: dict = {}
    note = _text(errors, "note", note)
    _raise(errors)
    suggestion.extension = Extension.REFUSED
    return _finish(suggestion, transition, actor=actor, changed=["extension"], note=note)


# REPLY, RATE AND WHAT FOLLOWS


@transaction.atomic
def suggestion_reply(
    *,
    suggestion_id: int,
    actor,
    category: str,
    text: str,
    per_signer: dict[int, str] | None = None,
    expected_by: dt.date | None = None,
) -> Suggestion:
    """答复: A solved, B being solved or planned, C cannot be solved now (with the
    reason). Each signer gets the reply (``per_signer`` gives one their own text)
    and an SMS; a source case is answered through the case flow."""
    suggestion, transition = _start("reply", suggestion_id=suggestion_id, actor=actor)
    errors: dict = {}
    if category not in ReplyCategory.values:
        errors["category"] = [_("Choose category A, B or C.")]
    elif suggestion.step == SuggestionStep.FOLLOW_UP and category == ReplyCategory.B:
        errors["category"] = [
            _("A suggestion followed up is answered again when solved (A) or not (C).")
        ]
    text = _text(errors, "text", text, max_length=10000)
    signers = list(suggestion.signings.select_related("representative").order_by("-is_lead", "id"))
    texts = {}
    for rep_id, own in (per_signer or {}).items():
        if rep_id not in {s.representative_id for s in signers}:
            errors["per_signer"] = [_("Reply only to the representatives who signed it.")]
            break
        texts[rep_id] = _text(errors, "per_signer", own, max_length=10000)
    today = timezone.localdate()
    if category == ReplyCategory.B and expected_by is not None and expected_by <= today:
        errors["expected_by"] = [_("Give a date after today.")]
    _raise(errors)
    now = timezone.now()
    SuggestionReply.objects.bulk_create(
        [
            SuggestionReply(
                suggestion=suggestion,
                round=suggestion.round,
                representative_id=signing.representative_id,
                category=category,
                text=texts.get(signing.representative_id, text),
                replied_at=now,
                replied_by=actor,
            )
            for signing in signers
        ]
    )
    if suggestion.first_replied_at is None:
        suggestion.first_replied_at = now
        suggestion.replied_on_time = suggestion.deadline is None or today <= suggestion.deadline
    suggestion.replied_at, suggestion.reply_category = now, category
    suggestion.follow_up_until = expected_by if category == ReplyCategory.B else None
    data = {"category": category, "round": suggestion.round, "deadline": _iso(suggestion.deadline)}
    _clear_deadline(suggestion)
    body = gettext("%(what)s has been answered (%(category)s). Please rate the reply.") % {
        "what": notices.label(suggestion),
        "category": ReplyCategory(category).label,
    }
    notifications_enqueue(
        notifications=notices.to_signers(
            suggestion,
            kind=NotificationKind.SUGGESTION_REPLIED,
            key=f"r{suggestion.round}",
            title=gettext("Your suggestion has been answered"),
            body=body,
            due=today,
        )
    )
    _answer_cases(suggestion, actor=actor, category=category, text=text)
    changed = [
        "first_replied_at",
        "replied_on_time",
        "replied_at",
        "reply_category",
        "follow_up_until",
        *_DEADLINE,
    ]
    return _finish(suggestion, transition, actor=actor, changed=changed, data=data)


def _answer_cases(suggestion: Suggestion, *, actor, category: str, text: str) -> None:
    """The station's case (and those of suggestions merged into this one) gets the
    answer through the case flow, so the constituent hears it."""
    case_ids = Suggestion.objects.filter(
        Q(pk=suggestion.pk) | Q(merged_into=suggestion), source_case__isnull=False
    ).values("source_case_id")
    waiting = Case.objects.filter(pk__in=case_ids, step__in=IN_HANDS_OF_UNIT)
    for case_id in waiting.values_list("pk", flat=True):
        case_services.case_reply(
            case_id=case_id, actor=actor, result=CASE_RESULT[category], reply=text
        )


@transaction.atomic
def suggestion_rate(
    *,
    suggestion_id: int,
    actor,
    rating: str,
    representative: Representative | None = None,
    note: str = "",
) -> Suggestion:
    """背靠背: each signer rates the reply they got, directly (or the committee enters
    the paper form). Once every signer has rated, the suggestion is rated with the
    worst rating given."""
    suggestion, transition = _start("rate", suggestion_id=suggestion_id, actor=actor)
    own = scope_of(actor).representative_id
    rep_id = representative.pk if representative is not None else own
    errors: dict = {}
    if rating not in Rating.values:
        errors["rating"] = [_("Choose satisfied, basically satisfied or unsatisfied.")]
    signers = set(suggestion.signings.values_list("representative_id", flat=True))
    if rep_id not in signers:
        errors["representative"] = [_("Choose a representative who signed the suggestion.")]
    elif rep_id != own and not committee(actor, suggestion):
        raise NotAllowed(_("Representatives rate only their own replies."))
    note = _text(errors, "note", note, required=False)
    _raise(errors)
    try:
        with transaction.atomic():
            SuggestionRating.objects.create(
                suggestion=suggestion,
                round=suggestion.round,
                representative_id=rep_id,
                rating=rating,
                note=note,
                recorded_by=actor,
            )
    except IntegrityError as error:
        raise IllegalTransition(_("This reply has already been rated.")) from error
    given = list(
        SuggestionRating.objects.filter(suggestion=suggestion, round=suggestion.round).values_list(
            "rating", flat=True
        )
    )
    data = {"representative": rep_id, "rating": rating, "round": suggestion.round}
    if len(given) < len(signers):
        _event(
            suggestion, kind="rate", actor=actor, from_step=suggestion.step, note=note, data=data
        )
        return suggestion
    suggestion.satisfaction = min(given, key=_RATING_ORDER.index)
    data["outcome"] = suggestion.satisfaction
    return _finish(
        suggestion, transition, actor=actor, changed=["satisfaction"], note=note, data=data
    )


@transaction.atomic
def suggestion_rehandle(*, suggestion_id: int, actor, note: str) -> Suggestion:
    """不满意: the committee orders the unit to handle it again and answer within the
    re-handling limit (the unsatisfied reply and rating stay in the history)."""
    suggestion, transition = _start("rehandle", suggestion_id=suggestion_id, actor=actor)
    errors: dict = {}
    note = _text(errors, "note", note)
    _raise(errors)
    rules = settings_for(suggestion.region_id)
    suggestion.deadline, suggestion.deadline_explanation = deadlines.in_months(
        start=timezone.localdate(),
        months=rules.suggestion_rehandle_months,
        rule="suggestion_rehandle",
    )
    suggestion.round += 1
    suggestion.rehandle_count += 1
    suggestion.reminded_for = suggestion.escalated_for = None
    suggestion.escalation_level = 0
    changed = ["round", "rehandle_count", *_ESCALATION, *_DEADLINE]
    return _finish(suggestion, transition, actor=actor, changed=changed, note=note)


@transaction.atomic
def suggestion_follow_up(*, suggestion_id: int, actor, note: str = "") -> Suggestion:
    """Category B: followed until the unit answers again when it is solved."""
    suggestion, transition = _start("follow_up", suggestion_id=suggestion_id, actor=actor)
    errors: dict = {}
    note = _text(errors, "note", note, required=False)
    _raise(errors)
    suggestion.round += 1
    if suggestion.follow_up_until:
        suggestion.deadline = suggestion.follow_up_until
        suggestion.deadline_explanation = {
            "rule": "suggestion_follow_up",
            "start": timezone.localdate().isoformat(),
            "date": suggestion.follow_up_until.isoformat(),
            "skipped": [],
            "weekday_only_years": [],
        }
    suggestion.reminded_for = suggestion.escalated_for = None
    suggestion.escalation_level = 0
    changed = ["round", *_ESCALATION, *_DEADLINE]
    return _finish(suggestion, transition, actor=actor, changed=changed, note=note)


@transaction.atomic
def suggestion_close(*, suggestion_id: int, actor, note: str = "") -> Suggestion:
    """办结: the committee closes a rated suggestion."""
    suggestion, transition = _start("close", suggestion_id=suggestion_id, actor=actor)
    errors: dict = {}
    note = _text(errors, "note", note, required=False)
    _raise(errors)
    suggestion.closed_at = timezone.now()
    return _finish(suggestion, transition, actor=actor, changed=["closed_at"], note=note)


# PUBLICATION


@transaction.atomic
def suggestion_publish(*, suggestion_id: int, actor) -> Suggestion:
    """Content, reply and rating go on the public page."""
    suggestion, transition = _start("publish", suggestion_id=suggestion_id, actor=actor)
    suggestion.published, suggestion.published_at = True, timezone.now()
    return _finish(suggestion, transition, actor=actor, changed=["published", "published_at"])


@transaction.atomic
def suggestion_unpublish(*, suggestion_id: int, actor, note: str) -> Suggestion:
    suggestion, transition = _start("unpublish", suggestion_id=suggestion_id, actor=actor)
    errors: dict = {}
    note = _text(errors, "note", note)
    _raise(errors)
    suggestion.published, suggestion.excellent = False, False
    return _finish(
        suggestion, transition, actor=actor, changed=["published", "excellent"], note=note
    )


@transaction.atomic
def suggestions_select_excellent(
    *, actor, region_code: str, year: int, suggestion_ids: list[int]
) -> list[Suggestion]:
    """The year's excellent suggestions (优秀建议, ten in 浏阳) of one congress: they
    replace the previous selection and show on the public page."""
    scope = scope_of(actor)
    if not (scope.is_admin or any(low <= region_code <= high for low, high in scope.region_bounds)):
        raise NotAllowed(_("Only the committee selects the excellent suggestions."))
    ids = list(dict.fromkeys(suggestion_ids))
    if len(ids) > EXCELLENT_PER_YEAR:
        raise ValidationError(
            {"suggestions": _("Choose at most %(n)s.") % {"n": EXCELLENT_PER_YEAR}}
        )
    year_rows = Suggestion.objects.filter(region_id=region_code, year=year)
    chosen = list(
        year_rows.filter(pk__in=ids, published=True)
        .exclude(step=SuggestionStep.MERGED)
        .select_for_update()
        .order_by("pk")
    )
    if len(chosen) != len(ids):
        raise ValidationError(
            {"suggestions": _("Choose published suggestions of this congress and year.")}
        )
    previous = list(year_rows.filter(excellent=True).values_list("pk", flat=True))
    year_rows.filter(excellent=True).exclude(pk__in=ids).update(excellent=False)
    year_rows.filter(pk__in=ids).update(excellent=True)
    for suggestion in chosen:
        suggestion.excellent = True
        if suggestion.pk not in previous:
            _event(suggestion, kind="excellent", actor=actor, from_step=suggestion.step)
    return chosen


# MACHINERY

_DEADLINE = ["deadline", "deadline_explanation"]
_ESCALATION = ["reminded_for", "escalated_for", "escalation_level"]
_LOCK_TIMEOUT = "5s"


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _clear_deadline(suggestion: Suggestion) -> None:
    suggestion.deadline, suggestion.deadline_explanation = None, {}


def _lock_many(ids: list[int]) -> list[Suggestion]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{_LOCK_TIMEOUT}'")
    try:
        return list(Suggestion.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    except OperationalError as error:
        raise Conflict(
            _("Someone else is changing this suggestion; try again in a moment.")
        ) from error


def _start(
    name: str, *, suggestion_id: int, actor, suggestion: Suggestion | None = None
) -> tuple[Suggestion, Transition]:
    if suggestion is None:
        found = _lock_many([suggestion_id])
        if not found:
            raise Suggestion.DoesNotExist(suggestion_id)
        suggestion = found[0]
    transition = TRANSITIONS[name]
    if suggestion.step not in transition.sources:
        raise IllegalTransition(
            _("“%(action)s” is not possible while the suggestion is “%(step)s”.")
            % {"action": transition.label, "step": suggestion.get_step_display()}
        )
    if not transition.allowed(actor, suggestion):
        raise NotAllowed(
            _("You may not “%(action)s” this suggestion.") % {"action": transition.label}
        )
    if not transition.condition(suggestion):
        raise IllegalTransition(transition.condition_message)
    return suggestion, transition


def _finish(
    suggestion: Suggestion,
    transition: Transition,
    *,
    actor,
    changed: list[str],
    note: str = "",
    data=None,
) -> Suggestion:
    from_step = suggestion.step
    if transition.target is not None:
        suggestion.step = transition.target
    suggestion.save(update_fields=[*dict.fromkeys(changed), "step", "updated_at"])
    _event(suggestion, kind=transition.name, actor=actor, from_step=from_step, note=note, data=data)
    return suggestion


def _event(suggestion: Suggestion, *, kind: str, actor, from_step: str, note: str = "", data=None):
    return SuggestionEvent.objects.create(
        suggestion=suggestion,
        kind=kind,
        from_step=from_step,
        to_step=suggestion.step,
        actor=actor,
        note=note,
        data=data or {},
    )
