"""Scoped reads of cases: a constant number of queries whatever the page size."""

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from liaison.calendar import WorkdayCalendar
from liaison.scopes import cases_visible_to
from suggestions.models import Case, CaseEvent, case_ids_handled_by


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
    return queryset.filter(pk__in=case_ids_handled_by([unit_id]))
