"""The flow engine: every flow of the product is a table of transitions on it.

The case flow (``suggestions/cases/flow.py``), representative suggestions
(``suggestions/proposals/flow.py``) and reception days (``stations/flow.py``) each
declare a ``Flow``: the model, the field holding its step, and its ``Transition``
rows (name → from-steps → to-step → who may → what must be written). Deny by
default: a move that is not in the table, from a step not in its sources, by a user
its ``allowed`` refuses, or with its ``condition`` unmet, does not happen.

A service makes a move in three steps::

    move = CASES.start("reply", pk=case_id, actor=actor)      # lock, step, actor, state
    case = move.row
    case.reply = move.text("reply", reply, max_length=5000)   # field errors collected
    ...
    return move.finish(changed=["reply", ...], data={...})     # step, save, event, notices

``finish`` writes the change and one history row (``liaison/base/history.py``) in the
caller's transaction; who is told of a move is data too (``Transition.notify``, read
by the flow's notices after commit). Refusals are named errors, which the API answers with 403 and
409 (``api_errors.py``) and the staff pages show as a message: ``IllegalTransition``
(the step or state does not allow it), ``NotAllowed`` (not this user), ``Conflict``
(someone else holds the row), or Django's ``ValidationError`` with field errors
(400, beside the fields). ``flow.available(user, row)`` is what pages and the API
offer; templates never decide permissions themselves.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, models
from django.utils.translation import gettext_lazy as _

from liaison.base import clock
from liaison.base.validators import validate_plain_text

# ERRORS


class FlowError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class NotAllowed(FlowError):
    """The actor may not make this move on this row."""


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


# THE TABLE

# Who makes a move: a person, or None for the system (the scheduled sweeps).
Actor = AbstractBaseUser | None

# Who may: a predicate of the acting user (None for the scheduled sweeps) and the row.
Predicate = Callable[[Actor, models.Model], bool]


def any_of(*predicates: Predicate) -> Predicate:
    def allowed(user, row) -> bool:
        return any(predicate(user, row) for predicate in predicates)

    allowed.__doc__ = " or ".join(p.__name__ for p in predicates)
    return allowed


def always(row) -> bool:
    return True


def anyone(user, row) -> bool:
    return True


def system(user, row) -> bool:
    """The scheduled sweeps, which act with no user; no person is ever offered the move."""
    return user is None


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    # None: the step stays as it is (extension requests, contacts, publication).
    target: str | None
    allowed: Predicate
    label: str
    # A state the row must be in besides its step, e.g. a pending extension request.
    condition: Callable[[models.Model], bool] = always
    condition_message: str = ""
    # Offered to a user only while they have something left to do by it (a rating not
    # yet given); the service refuses a second one with IllegalTransition.
    owed: Predicate = anyone
    # What the person must write for this move (a reason, a note): the staff form marks
    # these fields required and the service refuses the move without them.
    required: frozenset[str] = frozenset()
    # Who is told of the move (roles the flow's notices know, e.g. "lead_unit").
    notify: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flow:
    """One flow: its model, the field holding its step, its transitions and its wording.

    ``other_events`` names the history rows that are not moves of the table (a case's
    receipt, the sweeps' reminders).
    """

    name: str
    model: type[models.Model]
    transitions: tuple[Transition, ...]
    refusals: Refusals
    step_field: str = "step"
    # Steps from which nothing is offered any more (read-only rows).
    closed: frozenset[str] = frozenset()
    other_events: dict[str, str] = field(default_factory=dict)
    # Related rows the permission checks read, fetched (and locked) with the row.
    lock_related: tuple[str, ...] = ()

    def __post_init__(self):
        names = [t.name for t in self.transitions]
        if len(names) != len(set(names)):
            raise ValueError(f"{self.name}: a transition name is used twice")

    def __getitem__(self, name: str) -> Transition:
        return self.table[name]

    def __contains__(self, name: str) -> bool:
        return name in self.table

    @cached_property
    def table(self) -> dict[str, Transition]:
        return {t.name: t for t in self.transitions}

    def step_of(self, row) -> str:
        return getattr(row, self.step_field)

    def available(self, user, row) -> list[Transition]:
        """The moves this user may make on this row now: what pages and the API offer."""
        step = self.step_of(row)
        if step in self.closed:
            return []
        return [
            t
            for t in self.transitions
            if step in t.sources and t.condition(row) and t.allowed(user, row) and t.owed(user, row)
        ]

    def label_of(self, kind: str) -> str:
        """A history row's name: the move's label, or the flow's name for other events."""
        if kind in self.table:
            return self.table[kind].label
        return self.other_events.get(kind, kind)

    def timeline(self, events: Iterable) -> list[tuple[object, str]]:
        """History rows with their names, for the one timeline include."""
        return [(event, self.label_of(event.kind)) for event in events]

    # MOVES

    def lock(self, ids: list[int]) -> list:
        """The rows, locked in id order, so that two moves on the same pair cannot deadlock."""
        return lock(
            self.model.objects.select_related(*self.lock_related), ids, refusals=self.refusals
        )

    def start(self, name: str, *, pk: int, actor: Actor, row=None) -> "Move":
        """The row, locked (unless the caller locked it with others), once the table allows
        the move: from this step, by this actor, in this state."""
        transition = self[name]
        if row is None:
            found = self.lock([pk])
            if not found:
                raise self.model.DoesNotExist(pk)
            row = found[0]
        self.check(transition, row, actor)
        return Move(
            flow=self, transition=transition, row=row, actor=actor, from_step=self.step_of(row)
        )

    def check(self, transition: Transition, row, actor: Actor) -> None:
        """Refuse the move unless the table allows it for this row and actor."""
        step = self.step_of(row)
        if step not in transition.sources:
            raise IllegalTransition(
                self.refusals.wrong_step
                % {"action": transition.label, "step": self.step_label(row)}
            )
        if not transition.allowed(actor, row):
            raise NotAllowed(self.refusals.not_allowed % {"action": transition.label})
        if not transition.condition(row):
            raise IllegalTransition(transition.condition_message)

    def event(self, row, *, kind: str, actor: Actor, from_step: str, note: str = "", data=None):
        """A history row of ``row``, not yet saved (the sweeps write theirs in bulk)."""
        manager = row.events
        return manager.model(
            **{manager.field.name: row},
            kind=kind,
            from_step=from_step,
            to_step=self.step_of(row),
            actor=actor,
            note=note,
            data=data or {},
            at=clock.now(),
        )

    def step_label(self, row) -> str:
        step = self.step_of(row)
        return dict(self.model._meta.get_field(self.step_field).flatchoices).get(step, step)


@dataclass
class Move:
    """One move under way: the locked row, its transition, and the field errors so far.

    Every check adds its error instead of raising, so that the person sees every field
    error of the move at once; ``finish`` (or ``check``) refuses the move if any.
    """

    flow: Flow
    transition: Transition
    row: models.Model
    actor: Actor
    from_step: str
    errors: dict = field(default_factory=dict)
    event: models.Model | None = None  # the history row, once finished

    def text(self, name: str, value, *, max_length: int = 2000, required: bool | None = None):
        """A text field stripped and checked; required if the table says so (or ``required``)."""
        if required is None:
            required = name in self.transition.required
        return clean_text(self.errors, name, value, required=required, max_length=max_length)

    def error(self, name: str, message) -> None:
        self.errors[name] = [message]

    def check(self) -> None:
        """Refuse the move with every field error at once, before anything is written."""
        raise_errors(self.errors)

    def advance(self) -> None:
        """Put the row at the move's target step (``finish`` does it too; a service calls it
        first when what it writes depends on the new step)."""
        if self.transition.target is not None:
            setattr(self.row, self.flow.step_field, self.transition.target)

    def finish(self, *, changed: Iterable[str] = (), note: str = "", data=None):
        """The new step, the changed fields and the history row, in the caller's transaction."""
        self.check()
        row, flow = self.row, self.flow
        self.advance()
        fields = [*dict.fromkeys(changed), flow.step_field]
        if any(f.name == "updated_at" for f in row._meta.concrete_fields):
            fields.append("updated_at")
        row.save(update_fields=fields)
        event = flow.event(
            row,
            kind=self.transition.name,
            actor=self.actor,
            from_step=self.from_step,
            note=note,
            data=data,
        )
        event.save()
        self.event = event
        return row


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


# FIELDS


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
