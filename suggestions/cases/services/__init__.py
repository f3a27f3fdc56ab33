"""Every change to a visit or a case: one function per transition of ``cases/flow.py``.

Each move starts from the flow table (``CASES.start``: the case row locked, the step,
the actor and the state checked), checks its fields, then writes the change and its
``CaseEvent`` in one transaction and tells its audience after commit (``common.py``;
the engine every flow shares is liaison/base/flow.py). Refusals are named errors:
``IllegalTransition`` (the step or state does not allow it), ``NotAllowed`` (not this
user), ``Conflict`` (someone else holds the case), or Django's ``ValidationError``
with field errors.

The moves live by step; callers use them from here (``services.case_reply``).
"""

from liaison.base.flow import Conflict, IllegalTransition, NotAllowed
from suggestions.cases.services.assignment import (
    case_answer_consultation,
    case_assign_on_spot,
    case_refer_by_letter,
    case_report_to_township,
    case_to_suggestion,
)
from suggestions.cases.services.callbacks import callback_percent_set, case_record_callback
from suggestions.cases.services.closing import (
    case_archive,
    case_conclude,
    case_merge,
    case_reopen,
    case_withdraw,
)
from suggestions.cases.services.extension import (
    case_approve_extension,
    case_refuse_extension,
    case_request_extension,
)
from suggestions.cases.services.handling import (
    MAX_ESCALATION_LEVEL,
    case_escalate,
    case_set_plan,
    case_supervise,
)
from suggestions.cases.services.rating import case_rate
from suggestions.cases.services.receiving import (
    case_receive,
    case_receive_unchecked,
    visit_record,
)
from suggestions.cases.services.registration import case_register
from suggestions.cases.services.replies import (
    case_edit_public_reply,
    case_feedback,
    case_reply,
    case_reply_in_progress,
)
from suggestions.cases.services.sending_back import case_send_back

__all__ = [
    "MAX_ESCALATION_LEVEL",
    "Conflict",
    "IllegalTransition",
    "NotAllowed",
    "callback_percent_set",
    "case_answer_consultation",
    "case_approve_extension",
    "case_archive",
    "case_assign_on_spot",
    "case_conclude",
    "case_edit_public_reply",
    "case_escalate",
    "case_feedback",
    "case_merge",
    "case_rate",
    "case_receive",
    "case_receive_unchecked",
    "case_record_callback",
    "case_refer_by_letter",
    "case_refuse_extension",
    "case_register",
    "case_reopen",
    "case_reply",
    "case_reply_in_progress",
    "case_report_to_township",
    "case_request_extension",
    "case_send_back",
    "case_set_plan",
    "case_supervise",
    "case_to_suggestion",
    "case_withdraw",
    "visit_record",
]
