"""The app's models, defined in its three packages and registered here (app label
``suggestions``): ``shared/`` (handling units, their staff, categories), ``cases/`` (the
seven-step case flow) and ``proposals/`` (representative suggestions)."""

from suggestions.cases.models import (  # noqa: F401
    CLOSED_STEPS,
    IN_HANDS_OF_UNIT,
    Authority,
    Case,
    CaseCallback,
    CaseCoUnit,
    CaseEvent,
    CaseQuerySet,
    CaseRating,
    DataRequest,
    DataRequestKind,
    DataRequestStatus,
    Disposition,
    RatingSource,
    ReplyResult,
    Satisfaction,
    Step,
    case_ids_handled_by,
)
from suggestions.proposals.models import (  # noqa: F401
    Suggestion,
    SuggestionContact,
    SuggestionCoUnit,
    SuggestionEvent,
    SuggestionRating,
    SuggestionReply,
    SuggestionSigner,
    suggestion_ids_handled_by,
)
from suggestions.shared.models import (  # noqa: F401
    CaseCategory,
    HandlingUnit,
    HandlingUnitQuerySet,
    UnitKind,
    UnitStaff,
)
