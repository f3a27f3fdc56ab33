"""What the suggestion moves share: start (lock the row, check the move against
``flow.TRANSITIONS``), finish (the new step, the changed fields and the event), and
the fields several moves set. The part the case flow shares too is liaison/moves.py.
"""

from django.utils.translation import gettext_lazy as _

from liaison.base import moves
from liaison.base.jurisdiction import settings_for
from liaison.base.moves import clean_text
from suggestions.proposals import sweeps
from suggestions.proposals.flow import TRANSITIONS, Transition
from suggestions.proposals.models import KeyLeader, Suggestion

DEADLINE = ["deadline", "deadline_explanation"]
ESCALATION = ["reminded_for", "escalated_for", "escalation_level"]
REFUSALS = moves.Refusals(
    busy=_("Someone else is changing this suggestion; try again in a moment."),
    wrong_step=_("“%(action)s” is not possible while the suggestion is “%(step)s”."),
    not_allowed=_("You may not “%(action)s” this suggestion."),
)


def start(
    name: str, *, suggestion_id: int, actor, suggestion: Suggestion | None = None
) -> tuple[Suggestion, Transition]:
    transition = TRANSITIONS[name]
    suggestion = moves.start(
        transition,
        model=Suggestion,
        pk=suggestion_id,
        actor=actor,
        refusals=REFUSALS,
        row=suggestion,
    )
    return suggestion, transition


def finish(
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
    if "deadline" in changed:
        changed = [*changed, schedule_sweep(suggestion)]
    suggestion.save(update_fields=[*dict.fromkeys(changed), "step", "updated_at"])
    moves.event(
        suggestion, kind=transition.name, actor=actor, from_step=from_step, note=note, data=data
    )
    return suggestion


def clear_deadline(suggestion: Suggestion) -> None:
    suggestion.deadline, suggestion.deadline_explanation = None, {}


def schedule_sweep(suggestion: Suggestion, rules=None) -> str:
    """Whenever the deadline is set or cleared: the day the sweep first acts on it
    (``sweeps.first_sweep_on``); returns the field to save."""
    if suggestion.deadline is not None and rules is None:
        rules = settings_for(suggestion.region_id)
    suggestion.next_sweep_on = sweeps.first_sweep_on(suggestion, rules=rules)
    return "next_sweep_on"


def reset_escalation(suggestion: Suggestion) -> None:
    """A new clock: the reminder and each escalation level may fire again (``ESCALATION``)."""
    suggestion.reminded_for = suggestion.escalated_for = None
    suggestion.escalation_level = 0


def set_key(suggestion, errors, is_key, key_leader, key_leader_name) -> None:
    """The key flag (重点建议) and who leads it, as accepted or assigned."""
    if is_key is None:
        return
    if key_leader and key_leader not in KeyLeader.values:
        errors["key_leader"] = [_("Choose who leads the key suggestion.")]
    if is_key and not key_leader:
        errors["key_leader"] = [_("A key suggestion is led by the director or the mayor.")]
    suggestion.is_key = is_key
    suggestion.key_leader = key_leader if is_key else ""
    suggestion.key_leader_name = clean_text(
        errors, "key_leader_name", key_leader_name if is_key else "", required=False, max_length=50
    )
