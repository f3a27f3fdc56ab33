"""Publication: a suggestion with its replies and ratings on the public pages, and
the year's excellent suggestions (优秀建议)."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base.flow import NotAllowed, clean_text, raise_errors
from liaison.base.scopes import scope_of
from suggestions.proposals.flow import SUGGESTIONS
from suggestions.proposals.models import Suggestion, SuggestionStep
from suggestions.proposals.services.common import finish, start

EXCELLENT_PER_YEAR = 10  # 浏阳: ten excellent suggestions chosen each year


@transaction.atomic
def suggestion_publish(*, suggestion_id: int, actor: AbstractBaseUser) -> Suggestion:
    """Content, reply and rating go on the public page."""
    move = start("publish", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    suggestion.published, suggestion.published_at = True, timezone.now()
    return finish(move, changed=["published", "published_at"])


@transaction.atomic
def suggestion_unpublish(*, suggestion_id: int, actor: AbstractBaseUser, note: str) -> Suggestion:
    move = start("unpublish", suggestion_id=suggestion_id, actor=actor)
    suggestion = move.row
    errors = move.errors
    note = clean_text(errors, "note", note)
    raise_errors(errors)
    suggestion.published, suggestion.excellent = False, False
    return finish(move, changed=["published", "excellent"], note=note)


@transaction.atomic
def suggestions_select_excellent(
    *, actor: AbstractBaseUser, region_code: str, year: int, suggestion_ids: list[int]
) -> list[Suggestion]:
    """The year's excellent suggestions (优秀建议, ten in 浏阳) of one congress: they
    replace the previous selection and show on the public page."""
    if not scope_of(actor).covers_region(region_code):
        raise NotAllowed(_("Only the committee selects the excellent suggestions."))
    ids = list(dict.fromkeys(suggestion_ids))
    if len(ids) > EXCELLENT_PER_YEAR:
        raise ValidationError(
            {"suggestions": _("Choose at most %(n)s.") % {"n": EXCELLENT_PER_YEAR}}
        )
    year_rows = Suggestion.objects.filter(region_id=region_code, year=year)
    chosen = list(
        year_rows.filter(pk__in=ids, published=True)
        .exclude(step=SuggestionStep.MERGED)
        .select_for_update()
        .order_by("pk")
    )
    if len(chosen) != len(ids):
        raise ValidationError(
            {"suggestions": _("Choose published suggestions of this congress and year.")}
        )
    previous = list(year_rows.filter(excellent=True).values_list("pk", flat=True))
    year_rows.filter(excellent=True).exclude(pk__in=ids).update(excellent=False)
    year_rows.filter(pk__in=ids).update(excellent=True)
    for suggestion in chosen:
        suggestion.excellent = True
        if suggestion.pk not in previous:
            SUGGESTIONS.event(
                suggestion, kind="excellent", actor=actor, from_step=suggestion.step
            ).save()
    return chosen
