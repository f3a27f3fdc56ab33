"""The constituent's own rating of a reply, from the status page (tracking code and check):
once per reply; 不满意 sends the case back to its unit by the flow's rule."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from liaison.base.flow import IllegalTransition
from liaison.base.validators import validate_no_markup
from suggestions.cases.flow import CASES
from suggestions.cases.models import Case, CaseRating, RatingSource, Satisfaction
from suggestions.cases.services.closing import reopen
from suggestions.cases.services.common import finish, start

COMMENT_MAX = 500


@transaction.atomic
def case_rate(*, case_id: int, satisfaction: str, comment: str = "") -> Case:
    """The constituent rates the reply (满意 / 基本满意 / 不满意, with a comment). The caller
    has proven who they are with the tracking code and check: the move has no user."""
    move = start("rate", case_id=case_id, actor=None)
    case = move.row
    if not move.transition.owed(None, case):
        raise IllegalTransition(_("You have already rated this reply. Thank you."))
    if satisfaction not in Satisfaction.values:
        move.error("satisfaction", _("Choose how satisfied you are."))
    comment = move.text("comment", comment, required=False, max_length=COMMENT_MAX)
    if "comment" not in move.errors:
        try:
            validate_no_markup(comment)
        except ValidationError as error:
            move.error("comment", error.messages[0])
    move.check()
    case.satisfaction = satisfaction
    CaseRating.objects.create(
        case=case,
        round=case.reopen_count,
        source=RatingSource.CONSTITUENT,
        satisfaction=satisfaction,
        comment=comment,
    )
    # The comment is the constituent's own words: kept on the rating for staff in scope,
    # not on the history row, which names no one and is read more widely.
    finish(move, changed=["satisfaction"], data={"satisfaction": satisfaction})
    reopening = CASES["reopen_on_rating"]
    if reopening.condition(case):
        again = start("reopen_on_rating", case_id=case_id, actor=None, case=case)
        reopen(again, unit=None, workdays=None, note="")
    return case
