"""The demo county's duty records: a year of confirmed activities of every kind, held station days mostly confirmed, the county congress's
session and who attended, fixed constituent contacts with the contacts made, grid cells,
and a representative who cannot serve in August. Bulk inserts: seeding stays quick."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.db.models import Q

from duty.models import (
    Activity,
    ActivityEvent,
    ActivityKind,
    ActivityParticipant,
    ActivityStatus,
    CongressSession,
    ContactMade,
    ContactWay,
    FixedContact,
    Organiser,
    Presence,
    SessionAttendance,
)
from duty.services.contacts import contact_years_rebuild
from liaison.base.models import Region
from liaison.base.regions import RegionLevel
from liaison.wiring.demo.names import mobile, person
from representatives.models import (
    CongressLevel,
    GridCell,
    GridKind,
    Representative,
    RepresentativeGroup,
    Unavailability,
)
from stations.models import Attendance, DutyAssignment, ReceptionStatus, Station, StationMembership

YEAR = 2026
COUNTY = "430121000000"
TITLES = {
    ActivityKind.INSPECTION: "视察{}农村公路建设",
    ActivityKind.RESEARCH: "{}养老服务专题调研",
    ActivityKind.LAW_CHECK: "{}食品安全法执法检查",
    ActivityKind.GROUP: "{}代表小组集中活动",
    ActivityKind.TRAINING: "{}代表履职学习培训",
    ActivityKind.TALK: "{}民法典宣讲",
    ActivityKind.HOUSEHOLD: "{}入户走访",
    ActivityKind.SUPERVISION: "督办{}安置小区供水问题",
    ActivityKind.HELP: "帮助{}困难群众办实事",
    ActivityKind.REPORT: "{}代表向选民述职",
}


def already_seeded() -> bool:
    return Activity.objects.exists()


def seed_duty(rng: random.Random) -> None:
    """Once: a county seeded before duty records existed gets them on the next run."""
    if already_seeded() or not Region.objects.filter(code=COUNTY).exists():
        return
    committee = get_user_model().objects.filter(username="committee").first()
    if committee is None:
        return
    seats = dict(
        StationMembership.objects.current(dt.date(YEAR, 6, 30)).values_list(
            "representative_id", "station_id"
        )
    )
    stations = {s.pk: s for s in Station.objects.filter(pk__in=set(seats.values()))}
    reps = list(Representative.objects.filter(pk__in=seats).order_by("pk"))
    _activities(rng, committee, reps, seats, stations)
    _contacts(rng, committee, reps, seats, stations)
    _attendance(rng, reps)
    _grid(rng, reps, seats, stations)
    # Held days: most representatives confirmed they came; a few said they did not.
    held = list(
        DutyAssignment.objects.filter(reception_day__status=ReceptionStatus.HELD)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    absent = held[::25]
    DutyAssignment.objects.filter(pk__in=absent).update(attendance=Attendance.ABSENT)
    DutyAssignment.objects.filter(pk__in=held).exclude(pk__in=absent).update(
        attendance=Attendance.CONFIRMED
    )
    if reps:
        Unavailability.objects.create(
            representative=reps[0],
            start_date=dt.date(YEAR + 1, 8, 1),
            end_date=dt.date(YEAR + 1, 8, 31),
            reason="外出学习",
        )


def _activities(rng, committee, reps, seats, stations) -> None:
    groups = list(RepresentativeGroup.objects.prefetch_related("members"))
    rows, members_of = [], {}
    for n in range(360):
        kind = rng.choice(list(ActivityKind))
        day = dt.date(YEAR, rng.randint(1, 11), rng.randint(1, 28))
        organiser = rng.choice([Organiser.GROUP, Organiser.STATION, Organiser.COMMITTEE])
        group = station = None
        if organiser == Organiser.GROUP and groups:
            group = rng.choice(groups)
            members = [m.pk for m in group.members.all()] or [reps[0].pk]
            region = group.region_id
        elif organiser == Organiser.STATION:
            station = stations[seats[rng.choice(reps).pk]]
            members = [r for r, s in seats.items() if s == station.pk]
            region = station.region_id
        else:
            organiser, members, region = Organiser.COMMITTEE, [r.pk for r in reps], COUNTY
        place = (station or group).name if (station or group) else "县人大常委会"
        rows.append(
            Activity(
                kind=kind,
                title=TITLES[kind].format(place[:6]),
                date=day,
                place=place,
                summary="代表们听取情况介绍，实地查看，提出意见建议。",
                people_reached=rng.randint(5, 60) if kind in _PEOPLE else 0,
                organiser=organiser,
                group=group,
                station=station,
                region_id=region,
                status=ActivityStatus.CONFIRMED,
                recorded_by=committee,
            )
        )
        members_of[n] = rng.sample(members, min(len(members), rng.randint(2, 6)))
    created = Activity.objects.bulk_create(rows)
    ActivityParticipant.objects.bulk_create(
        [
            ActivityParticipant(activity=a, representative_id=rep)
            for n, a in enumerate(created)
            for rep in members_of[n]
        ],
        ignore_conflicts=True,
    )
    ActivityEvent.objects.bulk_create(
        [
            ActivityEvent(
                activity=a, kind="record", actor=committee, from_step="", to_step=a.status
            )
            for a in created
        ]
    )


_PEOPLE = {ActivityKind.HOUSEHOLD, ActivityKind.TALK, ActivityKind.HELP, ActivityKind.SUPERVISION}


def _contacts(rng, committee, reps, seats, stations) -> None:
    """Most representatives keep their list as the rules ask (10 people met four times a
    year for county and township representatives, 5 twice for the others); some are
    behind, so the quota table has every colour."""
    people = {CongressLevel.COUNTY: (10, 4), CongressLevel.TOWNSHIP: (10, 4)}
    contacts, times = [], []
    for n, rep in enumerate(reps):
        listed, met = people.get(rep.level, (5, 2))
        if n % 5 == 0:  # behind: fewer people, fewer contacts
            listed, met = rng.randint(0, listed - 1), rng.randint(0, met)
        station = stations[seats[rep.pk]]
        for _ in range(listed):
            contacts.append(
                FixedContact(
                    representative=rep,
                    name=person(rng),
                    phone=mobile(rng),
                    address=f"{station.name[:4]}{rng.randint(1, 30)}组",
                    region_id=station.region_id,
                )
            )
            times.append(met)
    FixedContact.objects.bulk_create(contacts, batch_size=2000)
    made = [
        ContactMade(
            contact=contact,
            representative_id=contact.representative_id,
            date=dt.date(YEAR, 1 + (i * 11) // max(met, 1), rng.randint(1, 28)),
            way=rng.choice(list(ContactWay)),
            note="了解近况，听取意见。",
            recorded_by=committee,
        )
        for contact, met in zip(contacts, times, strict=True)
        for i in range(met)
    ]
    ContactMade.objects.bulk_create(made, batch_size=5000)
    contact_years_rebuild()


def _attendance(rng, reps) -> None:
    session = CongressSession.objects.create(
        level=CongressLevel.COUNTY,
        region_id=COUNTY,
        term=18,
        number=5,
        start_date=dt.date(YEAR, 1, 8),
        end_date=dt.date(YEAR, 1, 10),
    )
    SessionAttendance.objects.bulk_create(
        [
            SessionAttendance(
                session=session,
                representative=rep,
                presence=rng.choices(list(Presence), weights=[92, 6, 2])[0],
                date=session.start_date,
            )
            for rep in reps
            if rep.level == CongressLevel.COUNTY
        ]
    )


def _grid(rng, reps, seats, stations) -> None:
    villages = list(
        Region.objects.filter(Q(level=RegionLevel.VILLAGE) | Q(level=RegionLevel.TOWNSHIP))
        .filter(code__startswith=COUNTY[:6])
        .order_by("code")[:40]
    )
    kinds = [GridKind.COMPOUND, GridKind.ENTERPRISE, GridKind.VILLAGER_GROUP]
    suffix = {
        GridKind.COMPOUND: "小区",
        GridKind.ENTERPRISE: "工业公司",
        GridKind.VILLAGER_GROUP: "村民小组",
    }
    for n, region in enumerate(villages):
        kind = kinds[n % 3]
        cell = GridCell.objects.create(
            name=f"{region.name[:4]}{suffix[kind]}", kind=kind, region=region
        )
        nearby = [r for r in reps if stations[seats[r.pk]].region_id[:9] == region.code[:9]]
        cell.representatives.set(rng.sample(nearby, min(len(nearby), 2)) or rng.sample(reps, 1))
