"""Data shaped like the source documents' figures, written in bulk (a document's
thousands of cases through the services would take minutes), then the roll-ups rebuilt.

湘潭: 接待群众 592 人次, 收集问题 389 件, 推动解决 142 件 (a year).
长沙县, one reception day: 1160 名代表进站, 接待走访群众 7237 人次, 宣讲 122 场次,
收集意见建议 563 条, 解决 123 个.
辰溪, since 2021: 收集 4320 条, 交办转办 4222 条, 办结 3935 条.
浏阳: 970 件建议, 满意率 84.5%.
"""

import datetime as dt
from itertools import cycle

from django.utils import timezone

from duty.models import Activity, ActivityKind, ActivityStatus, Organiser
from figures import rollups
from representatives.models import Representative
from stations.models import DutyAssignment, ReceptionDay, ReceptionStatus, Visit, VisitChannel
from stations.models.reception import Attendance
from suggestions.models import Case, CaseCategory, Step, Suggestion
from suggestions.proposals.models import Rating, Session
from suggestions.proposals.models import SuggestionStep as S
from tests.factories import (
    HandlingUnitFactory,
    RepresentativeFactory,
    StationFactory,
    UserFactory,
    region,
)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def visits(station, days, people: list[int], channel=VisitChannel.HOUSEHOLD, day_of=None):
    made = Visit.objects.bulk_create(
        [
            Visit(
                station=station,
                region_id=station.region_id,
                channel=channel,
                reception_day=day_of,
                visited_at=at(day),
                constituent_name="群众",
                people_count=count,
            )
            for day, count in zip(cycle(days), people)
        ],
        batch_size=1000,
    )
    return made


def cases(station, made_visits, specs: list[tuple[int, dict]], category):
    """``specs``: (how many, the case's fields) — received on its visit's day."""
    rows, visit_of = [], cycle(made_visits)
    unit = HandlingUnitFactory(region=region(station.region_id[:6] + "000000"))
    for count, fields in specs:
        for _ in range(count):
            visit = next(visit_of)
            state = {"category": category, "authority": "township"} | fields
            if state.get("disposition"):
                state.setdefault("lead_unit", unit)
            rows.append(
                Case(
                    visit=visit,
                    station=station,
                    region_id=station.region_id,
                    title="群众意见",
                    description="内容",
                    received_at=visit.visited_at,
                    **state,
                )
            )
    Case.objects.bulk_create(rows, batch_size=1000)
    return unit


HANDLING = {"step": Step.HANDLING, "disposition": "letter", "deadline": dt.date(2099, 1, 1)}


def replied(result: str, day: dt.date) -> dict:
    return {
        "step": Step.REPLIED,
        "disposition": "letter",
        "result": result,
        "replied_at": at(day, 16),
        "replied_on_time": True,
    }


def category():
    return CaseCategory.objects.get_or_create(code="livelihood", defaults={"name": "民生"})[0]


def xiangtan() -> dict:
    """湘潭县, 2026: 296 visits of two people, 389 issues, 142 solved."""
    station = StationFactory(region=region("430321001000", "易俗河镇"))
    days = [dt.date(2026, 1, 15) + dt.timedelta(days=30 * n) for n in range(11)]
    made = visits(station, days, [2] * 296)
    cases(
        station,
        made,
        [
            (142, replied("solved", dt.date(2026, 12, 1))),
            (100, HANDLING),
            (147, {"step": Step.RECEIVED, "category": None, "authority": ""}),
        ],
        category(),
    )
    return {"county": "430321000000", "station": station}


def changsha() -> dict:
    """长沙县, the reception day of 2026-11-15 in ten stations."""
    day = dt.date(2026, 11, 15)
    stations = [
        StationFactory(region=region(f"430121{n:03d}000", f"街道{n}")) for n in range(1, 11)
    ]
    reception_days = [
        ReceptionDay.objects.create(
            station=s, date=day, status=ReceptionStatus.HELD, published_at=at(day, 8)
        )
        for s in stations
    ]
    representatives = Representative.objects.bulk_create(
        [
            Representative(name=f"代表{n}", level="county", term=18, region_id="430121000000")
            for n in range(1160)
        ]
    )
    DutyAssignment.objects.bulk_create(
        [
            DutyAssignment(
                reception_day=reception_days[n % 10],
                representative=rep,
                date=day,
                kind=rep.kind,
                attendance=Attendance.CONFIRMED,
            )
            for n, rep in enumerate(representatives)
        ]
    )
    people = [13] * 481 + [12] * 82  # 7237 people in 563 visits
    made = []
    for n, s in enumerate(stations):
        share = people[n::10]
        solved = len(range(n, 123, 10))
        made.append(visits(s, [day], share, VisitChannel.RECEPTION_DAY, reception_days[n]))
        cases(
            s,
            made[-1],
            [(solved, replied("solved", day)), (len(share) - solved, HANDLING)],
            category(),
        )
    recorder = UserFactory()
    Activity.objects.bulk_create(
        [
            Activity(
                kind=ActivityKind.TALK,
                title="宣讲",
                date=day,
                place="站内",
                organiser=Organiser.STATION,
                station=stations[n % 10],
                region_id=stations[n % 10].region_id,
                status=ActivityStatus.CONFIRMED,
                recorded_by=recorder,
            )
            for n in range(122)
        ]
    )
    return {"county": "430121000000", "day": day}


def chenxi() -> dict:
    """辰溪县 since 2021: 4320 collected, 4222 assigned or transferred, 3935 completed."""
    station = StationFactory(region=region("431223001000", "辰阳镇"))
    days = [dt.date(2021, 3, 1) + dt.timedelta(days=7 * n) for n in range(140)]
    made = visits(station, days, [1] * 4320)
    cases(
        station,
        made,
        [
            (3935, replied("solved", dt.date(2023, 12, 1))),
            (287, HANDLING),
            (98, {"step": Step.REGISTERED}),
        ],
        category(),
    )
    return {"county": "431223000000"}


def liuyang() -> dict:
    """浏阳市: 970 suggestions received in 2022, all rated: 600 + 220 satisfied of 970."""
    representative = RepresentativeFactory()
    unit = HandlingUnitFactory(region=region("430181000000", "浏阳市"))
    ratings = [Rating.SATISFIED] * 600 + [Rating.BASIC] * 220 + [Rating.UNSATISFIED] * 150
    now = timezone.now()
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                region_id="430181000000",
                year=2022,
                sequence=n + 1,
                number=f"2022-{n + 1:04d}",
                title=f"建议{n + 1}",
                content="内容",
                lead_representative=representative,
                session=Session.SESSION,
                category=category(),
                step=S.CLOSED,
                lead_unit=unit,
                handler_name="经办人",
                plan="方案",
                reply_category="A",
                satisfaction=rating,
                replied_at=now,
                first_replied_at=now,
                replied_on_time=True,
                received_on=dt.date(2022, 1, 10),
                closed_at=now,
            )
            for n, rating in enumerate(ratings)
        ],
        batch_size=500,
    )
    return {"county": "430181000000"}


def build() -> dict:
    documents = {
        "xiangtan": xiangtan(),
        "changsha": changsha(),
        "chenxi": chenxi(),
        "liuyang": liuyang(),
    }
    rollups.rebuild()
    return documents
