"""A small duty-record world: a township, a station, representatives, a committee."""

import datetime as dt

from django.utils import timezone

from duty.models import ActivityKind, ContactWay, Organiser
from duty.services.activities import activity_record
from duty.services.contacts import contact_made_record, fixed_contact_add
from stations.models import DutyAssignment, ReceptionDay, ReceptionStatus
from tests.factories import (
    MembershipFactory,
    RepresentativeFactory,
    StationFactory,
    committee_user,
    region,
    representative_user,
)

TOWNSHIP = "430121001000"


def rep_with_login(**kwargs):
    rep = RepresentativeFactory(**kwargs)
    representative_user(rep)
    return rep


def contacts(rep, n: int, times: int, *, on: dt.date):
    """``n`` fixed contacts of ``rep``, each met ``times`` times on ``on``."""
    for i in range(n):
        contact = fixed_contact_add(
            actor=rep.user, representative=rep, name=f"群众{i}", region=region(TOWNSHIP)
        )
        for _ in range(times):
            contact_made_record(
                contact_id=contact.pk, actor=rep.user, date=on, way=ContactWay.VISIT
            )


def held_days(rep, dates, station=None):
    station = station or StationFactory()
    MembershipFactory(station=station, representative=rep)
    for date in dates:
        day = ReceptionDay.objects.create(
            station=station,
            date=date,
            status=ReceptionStatus.HELD,
            published_at=timezone.now(),
        )
        DutyAssignment.objects.create(reception_day=day, representative=rep)
    return station


def household_visit(actor, rep, *, on: dt.date, people: int):
    return activity_record(
        actor=actor,
        kind=ActivityKind.HOUSEHOLD,
        title="入户走访",
        date=on,
        place="星沙街道",
        organiser=Organiser.COMMITTEE,
        region_id="430121000000",
        people_reached=people,
        representatives=[rep],
    )


def county_committee():
    return committee_user("430121000000")
