"""What every move of a flow shares: the case flow (suggestions/services.py) and
representative suggestions (suggestions/proposals/services/).

A move locks its row, checks the step, the actor and the state against its flow's
table, checks the fields, then writes the change and one history row
(liaison/history.py) in the same transaction. Refusals are named errors, which the
API answers with 403 and 409 (liaison/api_errors.py) and the staff pages show as a
message: ``IllegalTransition`` (the step or state does not allow it), ``NotAllowed``
(not this user), ``Conflict`` (someone else holds the row), or Django's
``ValidationError`` with field errors (400, beside the fields).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import OperationalError, connection
from django.utils.translation import gettext_lazy as _

from liaison.base.validators import validate_plain_text


class FlowError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotAllowed(FlowError):
    """The actor may not make this move on this case or suggestion."""


class Conflict(FlowError):
    """Not in a state for this move, or someone else is changing it."""


class IllegalTransition(Conflict):
    """The move is not in the table for the current step or state."""


@dataclass(frozen=True)
class Refusals:
    """A flow's wording of the refusals any of its moves can meet (each names its object)."""

    busy: str  # another move holds the row
    wrong_step: str  # with %(action)s and %(step)s
    not_allowed: str  # with %(action)s


# A move waits this long for another's lock, then reports a conflict instead of hanging.
LOCK_TIMEOUT = "5s"


def lock(queryset, ids: list[int], *, refusals: Refusals) -> list:
    """The rows, locked in id order, so that two moves on the same pair cannot deadlock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    try:
        return list(queryset.select_for_update().filter(pk__in=ids).order_by("pk"))
    except OperationalError as error:
        raise Conflict(refusals.busy) from error


def start(transition, *, model, pk: int, actor, refusals: Refusals, row=None):
    """The row, locked (unless the caller locked it with others), once the move's table
    allows it: from this step, by this actor, in this state."""
    if row is None:
        found = lock(model.objects, [pk], refusals=refusals)
        if not found:
            raise model.DoesNotExist(pk)
        row = found[0]
    if row.step not in transition.sources:
        raise IllegalTransition(
            refusals.wrong_step % {"action": transition.label, "step": row.get_step_display()}
        )
    if not transition.allowed(actor, row):
        raise NotAllowed(refusals.not_allowed % {"action": transition.label})
    if not transition.condition(row):
        raise IllegalTransition(transition.condition_message)
    return row


def event(row, *, kind: str, actor, from_step: str, note: str = "", data=None):
    """The move's history row (a ``CaseEvent`` or a ``SuggestionEvent``: ``row.events``)."""
    return row.events.create(
        kind=kind,
        from_step=from_step,
        to_step=row.step,
        actor=actor,
        note=note,
        data=data or {},
    )


def clean_text(errors: dict, field: str, value, *, required: bool = True, max_length: int = 2000):
    """The text stripped; what is wrong with it goes into ``errors`` under ``field``."""
    value = (value or "").strip()
    if required and not value:
        errors[field] = [_("This field is required.")]
    elif len(value) > max_length:
        errors[field] = [
            _("Keep this under %(n)s characters (it has %(m)s).")
            % {"n": max_length, "m": len(value)}
        ]
    else:
        try:
            validate_plain_text(value)
        except ValidationError as error:
            errors[field] = error.messages
    return value


def raise_errors(errors: dict) -> None:
    """Refuse the move with every field error at once, before anything is written."""
    if errors:
        raise ValidationError(errors)
