"""Every change to a visit or a case: one function per transition of suggestions/flow.py.

Each transition locks the case row, checks the step, the actor's permission and
the required fields, then writes the change and its CaseEvent in one
transaction (the machinery both flows share is liaison/moves.py). Refusals are
named errors: ``IllegalTransition`` (the step or state does not allow it),
``NotAllowed`` (not this user), ``Conflict`` (someone else holds the case), or
Django's ``ValidationError`` with field errors.
"""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base import moves
from liaison.base.jurisdiction import settings_for
from liaison.base.moves import Conflict as Conflict  # callers catch services.Conflict
from liaison.base.moves import IllegalTransition, NotAllowed, clean_text, raise_errors
from liaison.base.validators import normalize_phone
from representatives.models import Representative
from stations.models import ReceptionDay, Station, Visit, VisitChannel
from suggestions.cases import sweeps
from suggestions.cases.flow import TRANSITIONS, Transition, may_receive
from suggestions.cases.notices import notify_case_changed
from suggestions.models import (
    Authority,
    Case,
    CaseCategory,
    CaseCoUnit,
    CaseEvent,
    Disposition,
    HandlingUnit,
    ReplyResult,
    Satisfaction,
)
from suggestions.shared import deadlines

# VISITS AND RECEIVE


@transaction.atomic
def visit_record(
    *,
    actor,
    station: Station,
    channel: str,
    visited_at: dt.datetime,
    constituent_name: str,
    constituent_phone: str = "",
    constituent_address: str = "",
    constituent_id_number: str = "",
    people_count: int = 1,
    reception_day: ReceptionDay | None = None,
    representatives: Iterable[Representative] = (),
    cases: Iterable[dict] = (),
) -> Visit:
    """Log a visit and the cases it raises (each ``{"title", "description"}``)."""
    if not may_receive(actor, station):
        raise NotAllowed(_("You cannot log visits at this station."))
    if reception_day is not None and reception_day.station_id != station.pk:
        raise ValidationError({"reception_day": _("This reception day is at another station.")})
    if reception_day is not None:
        channel = VisitChannel.RECEPTION_DAY
    visit = Visit(
        station=station,
        region_id=station.region_id,
        channel=channel,
        visited_at=visited_at,
        constituent_name=constituent_name.strip(),
        constituent_phone=normalize_phone(constituent_phone),
        constituent_address=constituent_address.strip(),
        constituent_id_number=constituent_id_number.strip().upper(),
        people_count=people_count,
        reception_day=reception_day,
        recorded_by=actor,
    )
    visit.full_clean(exclude=["region"])
    visit.save()
    visit.representatives.set(representatives)
    for raised in cases:
        case_receive(actor=actor, visit=visit, **raised)
    return visit


@transaction.atomic
def case_receive(*, actor, visit: Visit, title: str, description: str) -> Case:
    """接待: a visit raises a case, due to be registered within the jurisdiction's limit."""
    if not may_receive(actor, visit.station):
        raise NotAllowed(_("You cannot open cases at this station."))
    return case_receive_unchecked(actor=actor, visit=visit, title=title, description=description)


def case_receive_unchecked(
    *, actor, visit: Visit, title: str, description: str, category: CaseCategory | None = None
) -> Case:
    """The receive move itself; callers decide who may receive (staff, or the public online)."""
    errors: dict = {}
    title = clean_text(errors, "title", title, max_length=200)
    description = clean_text(errors, "description", description, max_length=5000)
    raise_errors(errors)
    rules = settings_for(visit.region_id)
    start = timezone.localtime(visit.visited_at).date()
    if visit.reception_day_id:
        start = visit.reception_day.date
    deadline, explanation = deadlines.in_workdays(
        start=start, workdays=rules.registration_workdays, rule="registration"
    )
    for attempt in range(3):
        case = Case(
            visit=visit,
            region_id=visit.region_id,
            station_id=visit.station_id,
            title=title,
            description=description,
            category=category,
            received_at=visit.visited_at,
            deadline=deadline,
            deadline_explanation=explanation,
            created_by=actor,
        )
        _schedule_sweeps(case, rules)
        try:
            # A fresh code on the vanishingly rare clash with an existing one.
            with transaction.atomic():
                case.save()
            break
        except IntegrityError:
            if attempt == 2:
                raise
    event = moves.event(
        case, kind="receive", actor=actor, from_step="", data={"deadline": explanation}
    )
    _notify_after_commit(case, "receive", event)
    return case


# THE SEVEN STEPS


@transaction.atomic
def case_register(
    *,
    case_id: int,
    actor,
    category: CaseCategory,
    authority: str,
    title: str | None = None,
    description: str | None = None,
    is_key: bool | None = None,
    note: str = "",
) -> Case:
    """登记: classify the case; the committee sorts it within the registration limit."""
    case, transition = _start("register", case_id=case_id, actor=actor)
    errors: dict = {}
    if category is None or not category.active:
        errors["category"] = [_("Choose an active category.")]
    if authority not in Authority.values:
        errors["authority"] = [_("Choose who has the authority to handle this.")]
    if title is not None:
        case.title = clean_text(errors, "title", title, max_length=200)
    if description is not None:
        case.description = clean_text(errors, "description", description, max_length=5000)
    note = clean_text(errors, "note", note, required=False)
    raise_errors(errors)
    case.category, case.authority = category, authority
    if is_key is not None:
        case.is_key = is_key
    case.registered_at = timezone.now()
    rules = settings_for(case.region_id)
    _set_deadline(
        case,
        *deadlines.in_workdays(
            start=timezone.localdate(), workdays=rules.registration_workdays, rule="disposition"
        ),
    )
    changed = ["category", "authority", "title", "description", "is_key", "registered_at"]
    return _finish(case, transition, actor=actor, changed=changed + _DEADLINE, note=note)


def case_assign_on_spot(*, case_id: int, actor, unit: HandlingUnit, **options) -> Case:
    """现场交办: handed to a township department at the station."""
    return _assign(
        "assign_on_spot",
        Disposition.ON_THE_SPOT,
        case_id=case_id,
        actor=actor,
        unit=unit,
        **options,
    )


def case_refer_by_letter(
    *, case_id: int, actor, unit: HandlingUnit, co_units: Iterable[HandlingUnit] = (), **options
) -> Case:
    """函件转办: referred by letter to a lead unit and any co-units."""
    return _assign(
        "refer_by_letter",
        Disposition.LETTER,
        case_id=case_id,
        actor=actor,
        unit=unit,
        co_units=co_units,
        **options,
    )


def case_report_to_township(*, case_id: int, actor, unit: HandlingUnit, note: str, **options):
    """报告+清单: a township-wide or major matter reported to the township government."""
    if not (note or "").strip():
        raise ValidationError({"note": _("Write the report and the list of matters.")})
    return _assign(
        "report_to_township",
        Disposition.TOWNSHIP_REPORT,
        case_id=case_id,
        actor=actor,
        unit=unit,
        note=note,
        **options,
    )


@transaction.atomic
def _assign(
    name: str,
    disposition: str,
    *,
    case_id: int,
    actor,
    unit: HandlingUnit,
    co_units: Iterable[HandlingUnit] = (),
    workdays: int | None = None,
    note: str = "",
) -> Case:
    case, transition = _start(name, case_id=case_id, actor=actor)
    co_units = [co for co in co_units if co.pk != getattr(unit, "pk", None)]
    errors: dict = {}
    if unit is None or not unit.active:
        errors["unit"] = [_("Choose an active handling unit.")]
    if any(not co.active for co in co_units):
        errors["co_units"] = [_("Every co-unit must be active.")]
    if workdays is not None and not 1 <= workdays <= 250:
        errors["workdays"] = [_("Give between 1 and 250 working days.")]
    note = clean_text(errors, "note", note, required=False)
    raise_errors(errors)
    rules = settings_for(case.region_id)
    workdays = workdays or rules.reply_workdays
    _set_deadline(
        case, *deadlines.in_workdays(start=timezone.localdate(), workdays=workdays, rule="reply")
    )
    case.lead_unit, case.disposition = unit, disposition
    CaseCoUnit.objects.bulk_create(
        [CaseCoUnit(case=case, unit=co) for co in co_units], ignore_conflicts=True
    )
    data = {"unit": unit.pk, "co_units": [co.pk for co in co_units], "workdays": workdays}
    return _finish(
        case,
        transition,
        actor=actor,
        changed=["lead_unit", "disposition", *_DEADLINE],
        note=note,
        data=data,
    )


@transaction.atomic
def case_to_suggestion(*, case_id: int, actor, note: str = "") -> Case:
    """A county-level matter becomes a representative suggestion.

    The suggestions issue links its Suggestion to this case and replies through
    ``case_reply``; until then the case waits in handling on the suggestion deadline.
    """
    case, transition = _start("to_suggestion", case_id=case_id, actor=actor)
    errors: dict = {}
    note = clean_text(errors, "note", note, required=False)
    raise_errors(errors)
    rules = settings_for(case.region_id)
    _set_deadline(
        case,
        *deadlines.in_months(
            start=timezone.localdate(), months=rules.suggestion_reply_months, rule="suggestion"
        ),
    )
    case.disposition = Disposition.SUGGESTION
    return _finish(case, transition, actor=actor, changed=["disposition", *_DEADLINE], note=note)


@transaction.atomic
def case_answer_consultation(*, case_id: int, actor, reply: str, note: str = "") -> Case:
    """咨询类: the liaison asked the department and answers the question."""
    case, transition = _start("answer_consultation", case_id=case_id, actor=actor)
    errors: dict = {}
    case.reply = clean_text(errors, "reply", reply, max_length=5000)
    note = clean_text(errors, "note", note, required=False)
    raise_errors(errors)
    case.disposition, case.result = Disposition.CONSULTATION, ReplyResult.ANSWERED
    case.replied_at = timezone.now()
    _set_deadline(case, None, {})
    changed = ["disposition", "result", "reply", "replied_at", *_DEADLINE]
    return _finish(case, transition, actor=actor, changed=changed, note=note)


@transaction.atomic
def case_supervise(
    *,
    case_id: int,
    actor,
    note: str,
    is_key: bool | None = None,
    meeting: bool = False,
    escalation_level: int | None = None,
) -> Case:
    """督办: the committee presses the unit: a note, or a coordination meeting it called;
    it may also raise the escalation level (never lower it: the sweeps count on it)."""
    case, transition = _start("supervise", case_id=case_id, actor=actor)
    errors: dict = {}
    note = clean_text(errors, "note", note)
    if escalation_level is not None and not (
        case.escalation_level <= escalation_level <= MAX_ESCALATION_LEVEL
    ):
        errors["escalation_level"] = [
            _("Choose a level from %(low)s to %(high)s.")
            % {"low": case.escalation_level, "high": MAX_ESCALATION_LEVEL}
        ]
    raise_errors(errors)
    if is_key is not None:
        case.is_key = is_key
    data = {"meeting": bool(meeting)}
    if escalation_level is not None and escalation_level != case.escalation_level:
        data["escalation_level"] = {"from": case.escalation_level, "to": escalation_level}
        case.escalation_level = escalation_level
    return _finish(
        case, transition, actor=actor, changed=["is_key", "escalation_level"], note=note, data=data
    )


@transaction.atomic
def case_set_plan(*, case_id: int, actor, handler: str, plan: str) -> Case:
    """三定: the lead unit names who handles the case and how; the step stays."""
    case, transition = _start("set_plan", case_id=case_id, actor=actor)
    errors: dict = {}
    case.handler = clean_text(errors, "handler", handler, max_length=50)
    case.plan = clean_text(errors, "plan", plan, max_length=2000)
    raise_errors(errors)
    return _finish(
        case,
        transition,
        actor=actor,
        changed=["handler", "plan"],
        note=case.plan,
        data={"handler": case.handler},
    )


@transaction.atomic
def case_escalate(*, case_id: int, actor=None, today: dt.date | None = None) -> Case:
    """督办 by the system: an overdue case raised to the level it is owed today.

    The escalation sweep (``sweeps.cases_escalate``) does this for batches of due
    cases; this is the same move for one case. Only the system (no user) may make it.
    """
    case, _transition = _start("escalate", case_id=case_id, actor=actor)
    today = today or timezone.localdate()
    if case.is_overdue(today):
        sweeps.escalate(cases=[case], today=today)
    return case


@transaction.atomic
def case_request_extension(*, case_id: int, actor, until: dt.date, reason: str) -> Case:
    """The lead unit asks for more time, with a reason; the committee decides."""
    case, transition = _start("request_extension", case_id=case_id, actor=actor)
    errors: dict = {}
    reason = clean_text(errors, "reason", reason, max_length=500)
    if until is None or (case.deadline and until <= case.deadline):
        errors["until"] = [_("Ask for a date after the current deadline.")]
    raise_errors(errors)
    case.extension_until, case.extension_reason = until, reason
    return _finish(
        case,
        transition,
        actor=actor,
        changed=["extension_until", "extension_reason"],
        note=reason,
        data={"until": until.isoformat()},
    )


@transaction.atomic
def case_approve_extension(*, case_id: int, actor, note: str = "") -> Case:
    case, transition = _start("approve_extension", case_id=case_id, actor=actor)
    errors: dict = {}
    note = clean_text(errors, "note", note, required=False)
    raise_errors(errors)
    previous = case.deadline
    _set_deadline(
        case,
        *deadlines.extended(
            start=previous or timezone.localdate(),
            until=case.extension_until,
            reason=case.extension_reason,
        ),
    )
    case.extension_until, case.extension_reason = None, ""
    return _finish(
        case,
        transition,
        actor=actor,
        changed=["extension_until", "extension_reason", *_DEADLINE],
        note=note,
        data={"previous_deadline": previous.isoformat() if previous else None},
    )


@transaction.atomic
def case_refuse_extension(*, case_id: int, actor, note: str) -> Case:
    case, transition = _start("refuse_extension", case_id=case_id, actor=actor)
    errors: dict = {}
    note = clean_text(errors, "note", note)
    raise_errors(errors)
    requested = case.extension_until
    case.extension_until, case.extension_reason = None, ""
    return _finish(
        case,
        transition,
        actor=actor,
        changed=["extension_until", "extension_reason"],
        note=note,
        data={"requested": requested.isoformat()},
    )


@transaction.atomic
def case_reply(*, case_id: int, actor, result: str, reply: str) -> Case:
    """回复: the unit's answer (solved, in progress, or cannot be solved and why)."""
    case, transition = _start("reply", case_id=case_id, actor=actor)
    errors: dict = {}
    if result not in {ReplyResult.SOLVED, ReplyResult.IN_PROGRESS, ReplyResult.CANNOT}:
        errors["result"] = [_("Say whether it is solved, being solved, or cannot be solved.")]
    case.reply = clean_text(errors, "reply", reply, max_length=5000)
    raise_errors(errors)
    case.result, case.replied_at = result, timezone.now()
    case.extension_until, case.extension_reason = None, ""
    _set_deadline(case, None, {})
    changed = ["result", "reply", "replied_at", "extension_until", "extension_reason"]
    return _finish(
        case, transition, actor=actor, changed=changed + _DEADLINE, data={"result": result}
    )


@transaction.atomic
def case_feedback(*, case_id: int, actor, satisfaction: str, note: str) -> Case:
    """反馈: the result told to the constituent, orally or in writing, and how they took it."""
    case, transition = _start("feedback", case_id=case_id, actor=actor)
    errors: dict = {}
    if satisfaction not in Satisfaction.values:
        errors["satisfaction"] = [_("Record whether the constituent is satisfied.")]
    note = clean_text(errors, "note", note)
    raise_errors(errors)
    case.satisfaction = satisfaction
    return _finish(
        case,
        transition,
        actor=actor,
        changed=["satisfaction"],
        note=note,
        data={"satisfaction": satisfaction},
    )


@transaction.atomic
def case_archive(
    *, case_id: int, actor, public_summary: str = "", published: bool = False, note: str = ""
) -> Case:
    """归档 (销号): closed off; the case is read-only from now on."""
    case, transition = _start("archive", case_id=case_id, actor=actor)
    errors: dict = {}
    case.public_summary = clean_text(
        errors, "public_summary", public_summary, required=published, max_length=2000
    )
    note = clean_text(errors, "note", note, required=False)
    raise_errors(errors)
    case.published, case.closed_at = published, timezone.now()
    changed = ["public_summary", "published", "closed_at"]
    return _finish(case, transition, actor=actor, changed=changed, note=note)


@transaction.atomic
def case_reopen(
    *,
    case_id: int,
    actor,
    note: str,
    unit: HandlingUnit | None = None,
    workdays: int | None = None,
) -> Case:
    """Unsatisfied feedback: back to handling with a new deadline (the old reply stays in history)."""
    case, transition = _start("reopen", case_id=case_id, actor=actor)
    errors: dict = {}
    note = clean_text(errors, "note", note)
    unit = unit or case.lead_unit
    if unit is None and case.disposition != Disposition.SUGGESTION:
        errors["unit"] = [_("Choose the unit that handles the case again.")]
    raise_errors(errors)
    rules = settings_for(case.region_id)
    _set_deadline(
        case,
        *deadlines.in_workdays(
            start=timezone.localdate(),
            workdays=workdays or rules.reply_workdays,
            rule="rehandle",
        ),
    )
    data = {"previous_result": case.result, "previous_reply": case.reply}
    case.lead_unit = unit
    case.result, case.reply, case.replied_at, case.satisfaction = "", "", None, ""
    case.reopen_count += 1
    changed = ["lead_unit", "result", "reply", "replied_at", "satisfaction", "reopen_count"]
    return _finish(case, transition, actor=actor, changed=changed + _DEADLINE, note=note, data=data)


@transaction.atomic
def case_merge(*, case_id: int, actor, into_id: int, note: str = "") -> Case:
    """A duplicate joins another open case and stops here; its history stays."""
    if into_id == case_id:
        raise ValidationError({"into": _("A case cannot be merged into itself.")})
    # Both rows locked in id order, so two opposite merges cannot deadlock.
    locked = {c.pk: c for c in moves.lock(Case.objects, [case_id, into_id], refusals=_REFUSALS)}
    if into_id not in locked:
        raise ValidationError({"into": _("No such case.")})
    target = locked[into_id]
    case, transition = _start("merge", case_id=case_id, actor=actor, case=locked.get(case_id))
    if target.is_closed or target.step not in TRANSITIONS["merge"].sources:
        raise IllegalTransition(_("A case can only be merged into an open case not yet replied."))
    if not TRANSITIONS["merge"].allowed(actor, target):
        raise NotAllowed(_("You cannot act on the case to merge into."))
    errors: dict = {}
    note = clean_text(errors, "note", note, required=False)
    raise_errors(errors)
    case.merged_into, case.closed_at = target, timezone.now()
    _set_deadline(case, None, {})
    moves.event(
        target,
        kind="absorb",
        actor=actor,
        from_step=target.step,
        data={"merged": case.pk, "tracking_code": case.tracking_code},
    )
    changed = ["merged_into", "closed_at", *_DEADLINE]
    return _finish(
        case, transition, actor=actor, changed=changed, note=note, data={"into": target.pk}
    )


@transaction.atomic
def case_withdraw(*, case_id: int, actor, reason: str) -> Case:
    case, transition = _start("withdraw", case_id=case_id, actor=actor)
    errors: dict = {}
    reason = clean_text(errors, "reason", reason)
    raise_errors(errors)
    case.closed_at = timezone.now()
    _set_deadline(case, None, {})
    return _finish(case, transition, actor=actor, changed=["closed_at", *_DEADLINE], note=reason)


# MACHINERY

# The committee's own scale of pressure on a unit when it supervises by hand
# (case_supervise: 督办 → 约谈 → 专题询问 and so on), its own judgement. Not the sweeps'
# ladder: the daily sweeps raise an overdue case by themselves only up to the
# jurisdiction's ``escalation_levels`` (JurisdictionSettings, 2 by default), which may
# not exceed this scale. Both write ``escalation_level``, which never goes down.
MAX_ESCALATION_LEVEL = 5
_DEADLINE = ["deadline", "deadline_explanation"]
_REFUSALS = moves.Refusals(
    busy=_("Someone else is changing this case; try again in a moment."),
    wrong_step=_("“%(action)s” is not possible while the case is at “%(step)s”."),
    not_allowed=_("You may not “%(action)s” this case."),
)


def _start(name: str, *, case_id: int, actor, case: Case | None = None) -> tuple[Case, Transition]:
    transition = TRANSITIONS[name]
    case = moves.start(
        transition, model=Case, pk=case_id, actor=actor, refusals=_REFUSALS, row=case
    )
    return case, transition


def _finish(
    case: Case, transition: Transition, *, actor, changed: list[str], note: str = "", data=None
) -> Case:
    from_step = case.step
    if transition.target is not None:
        case.step = transition.target
    if "deadline" in changed:
        changed = [*changed, *_schedule_sweeps(case, settings_for(case.region_id))]
    case.save(update_fields=[*dict.fromkeys(changed), "step", "updated_at"])
    event = moves.event(
        case, kind=transition.name, actor=actor, from_step=from_step, note=note, data=data
    )
    _notify_after_commit(case, transition.name, event)
    return case


def _schedule_sweeps(case: Case, rules) -> list[str]:
    """A new deadline (or none) starts the reminders and escalation over: each level
    fires once per deadline, so an approved extension or a reopening begins at level 0."""
    case.escalation_level = 0
    case.next_sweep_on = sweeps.first_sweep_on(case, rules=rules)
    return ["escalation_level", "next_sweep_on"]


def _notify_after_commit(case: Case, transition: str, event: CaseEvent) -> None:
    case_id, event_id = case.pk, event.pk

    # A named function, not a partial: Django logs a robust callback's failure by __qualname__.
    def notify_case_changed_after_commit():
        notify_case_changed(case_id=case_id, transition=transition, event_id=event_id)

    # robust: the move is committed whatever happens to its notices (the error is logged).
    transaction.on_commit(notify_case_changed_after_commit, robust=True)


def _set_deadline(case: Case, deadline: dt.date | None, explanation: dict) -> None:
    case.deadline, case.deadline_explanation = deadline, explanation
