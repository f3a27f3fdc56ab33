"""代表建议: the suggestion, its signers, units, replies, ratings, contacts and history.

Only ``suggestions/proposals/services/`` writes these rows, each move leaving a
``SuggestionEvent``. What a suggestion shows the public (title, content, the
representatives' names, the units, the reply and the rating) carries no
constituent's personal data.
"""

from suggestions.proposals.models.handling import (  # noqa: F401
    SuggestionContact,
    SuggestionCoUnit,
    SuggestionEvent,
    SuggestionRating,
    SuggestionReply,
    SuggestionSigner,
    suggestion_ids_handled_by,
)
from suggestions.proposals.models.suggestion import (  # noqa: F401
    CLOSED_STEPS,
    WITH_UNIT,
    ContactStage,
    ContactWay,
    Extension,
    KeyLeader,
    Rating,
    ReplyCategory,
    ReturnReason,
    Session,
    Source,
    Suggestion,
    SuggestionQuerySet,
    SuggestionStep,
)
