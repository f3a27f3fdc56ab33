"""Scoped reads of cases: a constant number of queries whatever the page size."""

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from liaison.calendar import WorkdayCalendar
from liaison.scopes import cases_visible_to, in_regions, scope_of, visits_received_by
from suggestions.models import IN_HANDS_OF_UNIT, Case, CaseCoUnit, CaseEvent, Step


def case_list(*, user) -> QuerySet[Case]:
    return (
        cases_visible_to(user)
        .select_related("category", "station", "region", "lead_unit")
        .prefetch_related("co_units")
    )


def case_detail(*, user) -> QuerySet[Case]:
    events = CaseEvent.objects.select_related("actor").order_by("at", "id")
    return case_list(user=user).prefetch_related(Prefetch("events", queryset=events))


def overdue(queryset: QuerySet[Case], *, today: dt.date | None = None) -> QuerySet[Case]:
    today = today or timezone.localdate()
    return queryset.open().filter(deadline__lt=today)


def due_soon(
    queryset: QuerySet[Case], *, workdays: int, today: dt.date | None = None
) -> QuerySet[Case]:
    """Open cases due from today up to ``workdays`` working days ahead."""
    today = today or timezone.localdate()
    until = WorkdayCalendar(today).shift(today, workdays).date
    return queryset.open().filter(deadline__gte=today, deadline__lte=until)


def handled_by(queryset: QuerySet[Case], *, unit_id: int) -> QuerySet[Case]:
    """Cases a unit leads or co-handles."""
    return queryset.filter(
        Q(lead_unit_id=unit_id)
        | Q(pk__in=CaseCoUnit.objects.filter(unit_id=unit_id).values("case_id"))
    )


def waiting_for(user) -> QuerySet[Case]:
    """Open cases whose next move is this user's, by role: a liaison registers, disposes
    and feeds back; a committee assigns, decides extensions and archives; a lead unit
    replies; a representative feeds back on the visits they received."""
    scope = scope_of(user)
    condition = Q(pk__in=[])
    if scope.station_ids:
        condition |= Q(
            station_id__in=scope.station_ids,
            step__in=[Step.RECEIVED, Step.REGISTERED, Step.REPLIED],
        )
    if scope.region_bounds or scope.is_admin:
        region = Q() if scope.is_admin else in_regions("region_id", scope.region_bounds)
        condition |= region & (
            Q(step__in=[Step.REGISTERED, Step.FEEDBACK])
            | Q(step__in=IN_HANDS_OF_UNIT, extension_until__isnull=False)
        )
    if scope.unit_ids:
        condition |= Q(lead_unit_id__in=scope.unit_ids, step__in=IN_HANDS_OF_UNIT)
    if scope.representative_id is not None:
        condition |= Q(visit_id__in=visits_received_by(scope.representative_id), step=Step.REPLIED)
    return case_list(user=user).filter(condition)


def recently_changed(user) -> QuerySet[Case]:
    return case_list(user=user).order_by("-updated_at", "-id")


def due_on(queryset: QuerySet[Case], day: dt.date) -> QuerySet[Case]:
    return queryset.open().filter(deadline=day)


def received_by(user) -> QuerySet[Case]:
    """Cases raised at visits the user received as a representative."""
    representative_id = scope_of(user).representative_id
    if representative_id is None:
        return Case.objects.none()
    return case_list(user=user).filter(visit_id__in=visits_received_by(representative_id))


def handled_by_units(user, unit_ids) -> QuerySet[Case]:
    """Cases the user's units lead or co-handle, whatever else the user may see."""
    return case_list(user=user).filter(
        Q(lead_unit_id__in=unit_ids)
        | Q(pk__in=CaseCoUnit.objects.filter(unit_id__in=unit_ids).values("case_id"))
    )
