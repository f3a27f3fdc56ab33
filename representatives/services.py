"""Changes to representatives made by hand (the admin; imports will come here too), and
the days a representative marks they cannot serve."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from liaison.base.flow import NotAllowed
from liaison.base.scopes import scope_of
from representatives.models import Representative, RepresentativeGroup, Unavailability
from representatives.photos import photo_thumbnails_make


@transaction.atomic
def representative_save(*, representative: Representative, photo_changed: bool) -> Representative:
    """Save a representative; a new photo gets its page-sized copies at once, so that no
    visitor's request is the one that makes them."""
    representative.save()
    if photo_changed and representative.photo:
        # After commit: a rolled-back save leaves no orphan thumbnails behind.
        photo = representative.photo
        transaction.on_commit(lambda: photo_thumbnails_make(photo))
    return representative


# AVAILABILITY


@transaction.atomic
def unavailability_add(
    *, actor, representative: Representative, start_date, end_date, reason: str = ""
) -> Unavailability:
    """A representative marks days they cannot serve (or a committee over them does);
    the reception-day planner leaves those days out (stations/planning.py)."""
    scope = scope_of(actor)
    if not (
        scope.representative_id == representative.pk
        or scope.covers_region(representative.region_id)
    ):
        raise NotAllowed(_("You may not mark this representative's availability."))
    period = Unavailability(
        representative=representative,
        start_date=start_date,
        end_date=end_date,
        reason=reason.strip(),
    )
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def unavailability_remove(*, actor, period_id: int) -> None:
    period = Unavailability.objects.select_related("representative").get(pk=period_id)
    scope = scope_of(actor)
    rep = period.representative
    if not (scope.representative_id == rep.pk or scope.covers_region(rep.region_id)):
        raise NotAllowed(_("You may not mark this representative's availability."))
    period.delete()


# GROUPS


@transaction.atomic
def group_save(*, actor, group, members) -> RepresentativeGroup:
    """A representative group (代表小组) saved by the committee of its region."""
    if not scope_of(actor).covers_region(group.region_id):
        raise NotAllowed(_("You may manage only the groups of your region."))
    group.full_clean()
    group.save()
    group.members.set(members)
    return group
