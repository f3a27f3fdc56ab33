"""What a user may see of livelihood projects. Pages and the API fetch through these,
so that what is out of scope is a 404.

- a committee: the projects and votes of its region's subtree;
- a unit's staff: the projects their unit carries out;
- a representative: the projects they brought or supervise, and the votes of their own
  congress (to cast an electronic ballot);
- a station liaison: the topics their stations brought.

The public contact of a topic from the public site (name, phone) is shown only to the
committee over its region (``shows_contact``).
"""

from django.db.models import Q, QuerySet

from liaison.base.scopes import in_regions, scope_of
from projects.models import Project, Vote
from representatives.models import Representative


def projects_visible_to(user) -> QuerySet[Project]:
    scope = scope_of(user)
    if scope.is_admin:
        return Project.objects.all()
    condition = in_regions("region_id", scope.region_bounds)
    if scope.unit_ids:
        condition |= Q(unit_id__in=scope.unit_ids)
    if scope.station_ids:
        condition |= Q(station_id__in=scope.station_ids)
    if scope.representative_id is not None:
        condition |= Q(proposer_id=scope.representative_id) | Q(
            pk__in=Project.supervisors.through.objects.filter(
                representative_id=scope.representative_id
            ).values("project_id")
        )
    return Project.objects.filter(condition)


def votes_visible_to(user) -> QuerySet[Vote]:
    scope = scope_of(user)
    if scope.is_admin:
        return Vote.objects.all()
    condition = in_regions("region_id", scope.region_bounds)
    if scope.representative_id is not None:
        condition |= Q(
            region_id__in=Representative.objects.filter(pk=scope.representative_id).values(
                "region_id"
            )
        )
    return Vote.objects.filter(condition)


def shows_contact(user, project: Project) -> bool:
    return scope_of(user).covers_region(project.region_id)
