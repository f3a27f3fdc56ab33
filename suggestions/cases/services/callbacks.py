"""回访: the committee sets the sample, the clerk records the call-back of a sampled case —
reached or not, and if reached, the constituent's rating and comment, kept apart from the
other ratings."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base.flow import NotAllowed
from liaison.base.models import CommitteeMembership, JurisdictionSettings
from suggestions.cases.models import Case, CaseCallback, CaseRating, RatingSource, Satisfaction
from suggestions.cases.services.common import finish, start


@transaction.atomic
def case_record_callback(
    *,
    case_id: int,
    actor: AbstractBaseUser,
    reached: bool,
    satisfaction: str = "",
    comment: str = "",
) -> Case:
    move = start("record_callback", case_id=case_id, actor=actor)
    case = move.row
    if reached and satisfaction not in Satisfaction.values:
        move.error("satisfaction", _("Record how satisfied the constituent is."))
    if not reached and satisfaction:
        move.error("satisfaction", _("Only a constituent reached gives a rating."))
    comment = move.text("comment", comment, required=False, max_length=500)
    move.check()
    callback = CaseCallback.objects.select_for_update().get(case=case)
    callback.done_at, callback.reached = timezone.now(), bool(reached)
    callback.save(update_fields=["done_at", "reached"])
    if reached:
        CaseRating.objects.create(
            case=case,
            round=case.reopen_count,
            source=RatingSource.CALLBACK,
            satisfaction=satisfaction,
            comment=comment,
            actor=actor,
        )
    data = {"reached": bool(reached), "satisfaction": satisfaction}
    return finish(move, changed=[], data=data)


@transaction.atomic
def callback_percent_set(*, actor: AbstractBaseUser, region_code: str, percent: int) -> int:
    """The committee sets the call-back sample of its own region (and the regions below
    that have no rule of their own); returns the percent set."""
    member = CommitteeMembership.objects.filter(user=actor, region_id=region_code).exists()
    if not (member or actor.is_superuser):
        raise NotAllowed(_("Only the region's committee sets its call-back sample."))
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        raise ValidationError({"percent": [_("Give a whole number from 0 to 100.")]})
    rules, _created = JurisdictionSettings.objects.select_for_update().get_or_create(
        region_id=region_code
    )
    rules.case_callback_percent = percent
    rules.save(update_fields=["case_callback_percent"])
    return percent
