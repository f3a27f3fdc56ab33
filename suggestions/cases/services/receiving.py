"""接待: a visit is logged at a station with the cases it raises."""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base.flow import NotAllowed, clean_text, raise_errors
from liaison.base.jurisdiction import settings_for
from liaison.base.validators import normalize_phone, validate_visit_time
from representatives.models import Representative
from stations.models import ReceptionDay, Station, Visit, VisitChannel
from stations.selectors import seated_at
from suggestions.cases.flow import CASES, may_receive
from suggestions.cases.models import Case
from suggestions.cases.services.common import notify_after_commit, schedule_sweeps
from suggestions.shared import deadlines
from suggestions.shared.models import CaseCategory


@transaction.atomic
def visit_record(
    *,
    actor: AbstractBaseUser,
    station: Station,
    channel: str,
    visited_at: dt.datetime,
    constituent_name: str,
    constituent_phone: str = "",
    constituent_address: str = "",
    constituent_id_number: str = "",
    people_count: int = 1,
    reception_day: ReceptionDay | None = None,
    representatives: Iterable[Representative] = (),
    cases: Iterable[dict] = (),
) -> Visit:
    """Log a visit and the cases it raises (each ``{"title", "description"}``)."""
    if not may_receive(actor, station):
        raise NotAllowed(_("You cannot log visits at this station."))
    if reception_day is not None and reception_day.station_id != station.pk:
        raise ValidationError({"reception_day": _("This reception day is at another station.")})
    if reception_day is not None:
        channel = VisitChannel.RECEPTION_DAY
    representatives = list(representatives)
    _check_visit(station, visited_at, representatives)
    visit = Visit(
        station=station,
        region_id=station.region_id,
        channel=channel,
        visited_at=visited_at,
        constituent_name=constituent_name.strip(),
        constituent_phone=normalize_phone(constituent_phone),
        constituent_address=constituent_address.strip(),
        constituent_id_number=constituent_id_number.strip().upper(),
        people_count=people_count,
        reception_day=reception_day,
        recorded_by=actor,
    )
    visit.full_clean(exclude=["region"])
    visit.save()
    visit.representatives.set(representatives)
    for raised in cases:
        case_receive(actor=actor, visit=visit, **raised)
    return visit


def _check_visit(station: Station, visited_at: dt.datetime, representatives: list) -> None:
    """What the desk's form offers is what any caller may give: a sane time, and only
    representatives seated at the station."""
    errors: dict = {}
    try:
        validate_visit_time(visited_at)
    except ValidationError as error:
        errors["visited_at"] = error.messages
    seated = set(seated_at(station).values_list("pk", flat=True)) if representatives else set()
    # Callers pass representatives or their ids (the desk's form, the API, the demo).
    if any(getattr(rep, "pk", rep) not in seated for rep in representatives):
        errors["representatives"] = [_("Name only representatives seated at this station.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def case_receive(*, actor: AbstractBaseUser, visit: Visit, title: str, description: str) -> Case:
    """接待: a visit raises a case, due to be registered within the jurisdiction's limit."""
    if not may_receive(actor, visit.station):
        raise NotAllowed(_("You cannot open cases at this station."))
    return case_receive_unchecked(actor=actor, visit=visit, title=title, description=description)


def case_receive_unchecked(
    *,
    actor: AbstractBaseUser | None,
    visit: Visit,
    title: str,
    description: str,
    category: CaseCategory | None = None,
) -> Case:
    """The receive move itself; callers decide who may receive (staff, or the public online)."""
    errors: dict = {}
    title = clean_text(errors, "title", title, max_length=200)
    description = clean_text(errors, "description", description, max_length=5000)
    raise_errors(errors)
    rules = settings_for(visit.region_id)
    start = timezone.localtime(visit.visited_at).date()
    if visit.reception_day_id:
        start = visit.reception_day.date
    deadline, explanation = deadlines.in_workdays(
        start=start, workdays=rules.registration_workdays, rule="registration"
    )
    for attempt in range(3):
        case = Case(
            visit=visit,
            region_id=visit.region_id,
            station_id=visit.station_id,
            title=title,
            description=description,
            category=category,
            received_at=visit.visited_at,
            deadline=deadline,
            deadline_explanation=explanation,
            created_by=actor,
        )
        schedule_sweeps(case, rules)
        try:
            # A fresh code on the vanishingly rare clash with an existing one.
            with transaction.atomic():
                case.save()
            break
        except IntegrityError:
            if attempt == 2:
                raise
    event = CASES.event(
        case, kind="receive", actor=actor, from_step="", data={"deadline": explanation}
    )
    event.save()
    notify_after_commit(case, "receive", event)
    return case
