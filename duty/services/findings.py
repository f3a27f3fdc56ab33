"""A finding of an inspection (or research, a check, a household visit, a matter
supervised) raised as a case into the seven-step flow.

A case stands on a visit at a station (the constituents' matter, its deadline to be
registered, who received it). A finding becomes one: a visit on the channel
"finding of an inspection or research" (``VisitChannel.ACTIVITY``) at the station the
organiser chooses — the organising station, else a station of the activity's region
they run — on the activity's date, "received" by the representatives who took part
(so the case shows in their record and on their page), whose constituent is the
activity itself (its title: no person's data), and the case received on it through
the case services (``visit_record``), with its registration deadline. ``Finding`` links
the activity and the case both ways.
"""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duty.flow import ACTIVITIES
from duty.models import Finding
from liaison.base.scopes import scope_of
from stations.models import Station, VisitChannel
from suggestions.cases.models import Case
from suggestions.cases.services import visit_record


@transaction.atomic
def activity_raise_case(
    *, activity_id: int, actor: AbstractBaseUser, station: Station, title: str, description: str
) -> Case:
    move = ACTIVITIES.start("raise_case", pk=activity_id, actor=actor)
    activity = move.row
    if activity.station_id is not None and station.pk != activity.station_id:
        move.error("station", _("The case goes to the station that organised the activity."))
    elif not scope_of(actor).covers_station(station):
        move.error("station", _("Choose a station you run."))
    move.text("title", title, max_length=200, required=True)
    move.text("description", description, max_length=5000, required=True)
    move.check()
    visited_at = timezone.make_aware(dt.datetime.combine(activity.date, dt.time(12)))
    try:
        visit = visit_record(
            actor=actor,
            station=station,
            channel=VisitChannel.ACTIVITY,
            visited_at=visited_at,
            constituent_name=activity.title[:50],
            people_count=1,
            representatives=list(activity.representatives.all()),
            cases=[{"title": title, "description": description}],
        )
    except ValidationError as error:
        raise ValidationError({"title": error.messages}) from error
    case = visit.cases.get()
    Finding.objects.create(activity=activity, case=case, raised_by=actor)
    move.finish(note=case.title, data={"case": case.pk, "tracking_code": case.tracking_code})
    return case
