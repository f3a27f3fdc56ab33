"""What the suggestion moves share: start a move from the flow table, finish it, and the
fields several moves set. The machinery every flow shares is the engine,
liaison/base/flow.py.
"""

from django.utils.translation import gettext_lazy as _

from liaison.base.flow import Actor, Move, clean_text
from liaison.base.jurisdiction import settings_for
from suggestions.proposals import sweeps
from suggestions.proposals.flow import SUGGESTIONS
from suggestions.proposals.models import KeyLeader, Suggestion

DEADLINE = ["deadline", "deadline_explanation"]
ESCALATION = ["reminded_for", "escalated_for", "escalation_level"]


def start(
    name: str, *, suggestion_id: int, actor: Actor, suggestion: Suggestion | None = None
) -> Move:
    return SUGGESTIONS.start(name, pk=suggestion_id, actor=actor, row=suggestion)


def finish(move: Move, *, changed: list[str], note: str = "", data=None) -> Suggestion:
    if "deadline" in changed:
        move.check()
        move.advance()  # the sweep's next date depends on the new step
        changed = [*changed, schedule_sweep(move.row)]
    return move.finish(changed=changed, note=note, data=data)


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
