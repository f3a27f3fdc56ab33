"""登记: the case is classified; the committee then sorts it within the registration limit."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base import clock
from liaison.base.jurisdiction import settings_for
from suggestions.cases.models import Authority, Case
from suggestions.cases.services.common import DEADLINE, finish, set_deadline, start
from suggestions.shared import deadlines
from suggestions.shared.models import CaseCategory


@transaction.atomic
def case_register(
    *,
    case_id: int,
    actor: AbstractBaseUser,
    category: CaseCategory,
    authority: str,
    title: str | None = None,
    description: str | None = None,
    is_key: bool | None = None,
    note: str = "",
) -> Case:
    """登记: classify the case; the committee sorts it within the registration limit."""
    move = start("register", case_id=case_id, actor=actor)
    case = move.row
    if category is None or not category.active:
        move.error("category", _("Choose an active category."))
    if authority not in Authority.values:
        move.error("authority", _("Choose who has the authority to handle this."))
    if title is not None:
        case.title = move.text("title", title, max_length=200, required=True)
    if description is not None:
        case.description = move.text("description", description, max_length=5000, required=True)
    note = move.text("note", note)
    move.check()
    case.category, case.authority = category, authority
    if is_key is not None:
        case.is_key = is_key
    case.registered_at = clock.now()
    rules = settings_for(case.region_id)
    set_deadline(
        case,
        *deadlines.in_workdays(
            start=timezone.localdate(), workdays=rules.registration_workdays, rule="disposition"
        ),
    )
    changed = ["category", "authority", "title", "description", "is_key", "registered_at"]
    return finish(move, changed=changed + DEADLINE, note=note)
