"""What the units do while handling: 三定 (handler, plan and reply date; the signers
get an SMS), 三访 (contacts with the representatives), and the co-units' opinions."""

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.base.flow import IllegalTransition, clean_text, raise_errors
from liaison.base.notifications.models import NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from liaison.base.scopes import scope_of
from suggestions.models import HandlingUnit
from suggestions.proposals import notices
from suggestions.proposals.models import Suggestion, SuggestionContact, SuggestionCoUnit
from suggestions.proposals.services.common import finish, start


@transaction.atomic
def suggestion_start(
    *,
    suggestion_id: int,
    actor: AbstractBaseUser,
    handler_name: str,
    plan: str,
    planned_reply_date: dt.date,
    handler_phone: str = "",
) -> Suggestion:
    """三定: the lead unit fixes the handler, the plan and the reply date; the signers
    get an SMS before handling starts (办前有短信提醒)."""
    move = start("start", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    errors = move.errors
    suggestion.handler_name = clean_text(errors, "handler_name", handler_name, max_length=50)
    suggestion.plan = clean_text(errors, "plan", plan, max_length=5000)
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
    raise_errors(errors)
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
    return finish(
        move,
        changed=changed,
        data={"planned_reply_date": planned_reply_date.isoformat()},
    )


@transaction.atomic
def suggestion_record_contact(
    *, suggestion_id: int, actor: AbstractBaseUser, stage: str, way: str, on: dt.date, note: str
) -> SuggestionContact:
    """三访: a contact with the representative before, during or after handling."""
    move = start("record_contact", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    contact = SuggestionContact(
        suggestion=suggestion,
        stage=stage,
        way=way,
        on=on,
        note=(note or "").strip(),
        recorded_by=actor,
    )
    errors = move.errors
    if on is not None and on > timezone.localdate():
        errors["on"] = [_("A contact is recorded once it has happened.")]
    try:
        contact.full_clean(exclude=["suggestion", "recorded_by"])
    except ValidationError as error:
        errors.update(error.message_dict)
    raise_errors(errors)
    contact.save()
    finish(
        move,
        changed=[],
        note=contact.note,
        data={"stage": stage, "way": way, "on": on.isoformat()},
    )
    return contact


@transaction.atomic
def suggestion_counit_opinion(
    *, suggestion_id: int, actor: AbstractBaseUser, opinion: str, unit: HandlingUnit | None = None
) -> Suggestion:
    """A co-unit sends its opinion to the lead unit (once)."""
    move = start("counit_opinion", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    rows = SuggestionCoUnit.objects.filter(
        suggestion=suggestion, unit_id__in=scope_of(actor).unit_ids
    )
    if unit is not None:
        rows = rows.filter(unit=unit)
    row = rows.select_for_update().order_by("pk").first()
    errors = move.errors
    if row is None:
        errors["unit"] = [_("Your unit is not a co-unit of this suggestion.")]
    elif row.opinion_at is not None:
        raise IllegalTransition(_("Your unit has already sent its opinion."))
    opinion = clean_text(errors, "opinion", opinion, max_length=5000)
    raise_errors(errors)
    row.opinion, row.opinion_at, row.opinion_by = opinion, timezone.now(), actor
    row.save(update_fields=["opinion", "opinion_at", "opinion_by"])
    on_time = timezone.localdate() <= row.due
    return finish(
        move,
        changed=[],
        note=opinion,
        data={"unit": row.unit_id, "on_time": on_time},
    )
