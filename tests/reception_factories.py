"""Reception days set up through the real services."""

import datetime as dt

from stations.models import ReceptionDay
from stations.services import reception_day_publish, reception_day_set_duty
from tests.factories import MembershipFactory, RepresentativeFactory, StationFactory


def staffed_station(*kinds, station=None, **rep_kwargs):
    """A station with one seated representative per kind given ("official"/"grassroots")."""
    station = station or StationFactory()
    reps = [RepresentativeFactory(kind=kind, **rep_kwargs) for kind in kinds]
    for rep in reps:
        MembershipFactory(station=station, representative=rep)
    return station, reps


def published_day(station, reps, date: dt.date, *, lead: int = 5, today: dt.date | None = None):
    day = ReceptionDay.objects.create(
        station=station, date=date, place="便民服务中心二楼", notice_lead_workdays=lead
    )
    reception_day_set_duty(actor=None, day=day, representatives=reps)
    return reception_day_publish(actor=None, day=day, today=today or date - dt.timedelta(days=30))
