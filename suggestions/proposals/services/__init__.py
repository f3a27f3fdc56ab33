"""Every change to a suggestion: one function per transition of ``flow.py``.

Each locks the suggestion row, checks the step, the actor and the fields, then
writes the change, a ``SuggestionEvent`` and any outbox rows in one transaction
(``common.py``; what the case flow shares too is liaison/base/flow.py). Refusals are
the case flow's named errors: ``IllegalTransition``, ``NotAllowed``, ``Conflict``,
or ``ValidationError`` with field errors.

The moves live by step; callers use them from here (``services.suggestion_reply``).
"""

from liaison.base.flow import Conflict, IllegalTransition, NotAllowed
from suggestions.proposals.services.acceptance import (
    suggestion_accept,
    suggestion_merge,
    suggestion_return,
)
from suggestions.proposals.services.assignment import suggestion_assign, suggestion_send_back
from suggestions.proposals.services.extension import (
    suggestion_approve_extension,
    suggestion_refuse_extension,
    suggestion_request_extension,
)
from suggestions.proposals.services.filing import suggestion_file
from suggestions.proposals.services.handling import (
    suggestion_counit_opinion,
    suggestion_record_contact,
    suggestion_start,
)
from suggestions.proposals.services.publishing import (
    EXCELLENT_PER_YEAR,
    suggestion_publish,
    suggestion_unpublish,
    suggestions_select_excellent,
)
from suggestions.proposals.services.ratings import (
    suggestion_close,
    suggestion_follow_up,
    suggestion_rate,
    suggestion_rehandle,
)
from suggestions.proposals.services.replies import suggestion_reply

__all__ = [
    "EXCELLENT_PER_YEAR",
    "Conflict",
    "IllegalTransition",
    "NotAllowed",
    "suggestion_accept",
    "suggestion_approve_extension",
    "suggestion_assign",
    "suggestion_close",
    "suggestion_counit_opinion",
    "suggestion_file",
    "suggestion_follow_up",
    "suggestion_merge",
    "suggestion_publish",
    "suggestion_rate",
    "suggestion_record_contact",
    "suggestion_refuse_extension",
    "suggestion_rehandle",
    "suggestion_reply",
    "suggestion_request_extension",
    "suggestion_return",
    "suggestion_send_back",
    "suggestion_start",
    "suggestion_unpublish",
    "suggestions_select_excellent",
]
