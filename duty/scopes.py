"""What a user may see of the duty records. Pages, downloads and the quota table fetch
through these, so that what is out of scope is a 404.

- a representative: their own record, contacts, activities and reports; a group leader
  also the record (not the contacts) of their groups' members;
- a group's liaison: the group's members' records and the group's activities;
- a station liaison: the records of representatives seated in their stations and the
  activities their stations organised;
- a committee: the representatives of its region and those seated in its stations
  (``stations.scopes.representatives_visible_to``), the activities in its region, and the
  fixed contacts who live in its region (a constituent's personal data, scoped like a
  case's constituent: by where they are, not by who the representative is).
"""

from django.db.models import Q, QuerySet

from duty.models import Activity, DutyReport, FixedContact
from liaison.base.scopes import in_regions, scope_of
from representatives.models import Representative, RepresentativeGroup
from stations.scopes import representatives_visible_to


def groups_led_by(representative_id: int | None) -> QuerySet:
    return RepresentativeGroup.objects.filter(leader_id=representative_id).values("pk")


def group_ids_of(user) -> QuerySet | list:
    """Groups whose record the user follows: as their liaison or their leader."""
    scope = scope_of(user)
    condition = Q(pk__in=scope.group_ids)
    if scope.representative_id is not None:
        condition |= Q(leader_id=scope.representative_id)
    return RepresentativeGroup.objects.filter(condition).values("pk")


def records_visible_to(user) -> QuerySet[Representative]:
    """Representatives whose duty record (counts, activities, quotas) the user may see."""
    scope = scope_of(user)
    if scope.is_admin:
        return Representative.objects.all()
    if not scope.group_ids and scope.representative_id is None:
        # A committee or a liaison: the representatives they see, as they are.
        return representatives_visible_to(user)
    condition = Q(pk__in=representatives_visible_to(user).values("pk"))
    if scope.group_ids or scope.representative_id is not None:
        condition |= Q(groups__in=group_ids_of(user))
    return Representative.objects.filter(
        pk__in=Representative.objects.filter(condition).values("pk")
    )


def activities_visible_to(user) -> QuerySet[Activity]:
    scope = scope_of(user)
    if scope.is_admin:
        return Activity.objects.all()
    condition = in_regions("region_id", scope.region_bounds) | Q(station_id__in=scope.station_ids)
    condition |= Q(recorded_by_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    if scope.group_ids or scope.representative_id is not None:
        condition |= Q(group_id__in=group_ids_of(user))
    if scope.representative_id is not None:
        condition |= Q(
            pk__in=Activity.representatives.through.objects.filter(
                representative_id=scope.representative_id
            ).values("activity_id")
        )
    return Activity.objects.filter(condition)


def contacts_visible_to(user) -> QuerySet[FixedContact]:
    """Fixed contacts are a constituent's personal data: the representative's own, and a
    committee's whose region the constituent lives in; nobody else (not a liaison, not a
    group)."""
    scope = scope_of(user)
    if scope.is_admin:
        return FixedContact.objects.all()
    condition = in_regions("region_id", scope.region_bounds)
    if scope.representative_id is not None:
        condition |= Q(representative_id=scope.representative_id)
    return FixedContact.objects.filter(condition)


def reports_visible_to(user) -> QuerySet[DutyReport]:
    return DutyReport.objects.filter(representative__in=records_visible_to(user))
