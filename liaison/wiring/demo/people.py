"""Representatives of all five levels, seated in the demo county's stations."""

import datetime as dt
import random

from liaison.wiring.demo import names
from representatives.models import (
    CongressLevel,
    Gender,
    GroupKind,
    Representative,
    RepresentativeGroup,
    RepresentativeKind,
)
from stations.models import StationMembership

# 1300 representatives of five levels (长沙县: "1300余名五级人大代表").
COUNTS = {
    CongressLevel.NATIONAL: 3,
    CongressLevel.PROVINCIAL: 9,
    CongressLevel.CITY: 48,
    CongressLevel.COUNTY: 340,
    CongressLevel.TOWNSHIP: 900,
}
# Share of grassroots deputies: 52.53% at county, 76.75% at township level (national figures).
GRASSROOTS_SHARE = {
    CongressLevel.NATIONAL: 0.35,
    CongressLevel.PROVINCIAL: 0.4,
    CongressLevel.CITY: 0.45,
    CongressLevel.COUNTY: 0.5253,
    CongressLevel.TOWNSHIP: 0.7675,
}
TERMS = {
    CongressLevel.NATIONAL: 14,
    CongressLevel.PROVINCIAL: 14,
    CongressLevel.CITY: 16,
    CongressLevel.COUNTY: 18,
    CongressLevel.TOWNSHIP: 18,
}
TERM_START = dt.date(2021, 12, 1)

OFFICIAL_POSTS = [
    ("县人民政府", "副县长"),
    ("县发展和改革局", "局长"),
    ("县财政局", "局长"),
    ("{township}党工委", "书记"),
    ("{township}办事处", "主任"),
    ("{township}人民政府", "镇长"),
    ("县人大常委会", "副主任"),
    ("县卫生健康局", "副局长"),
]
GRASSROOTS_POSTS = [
    ("{village}村民委员会", "村委会主任"),
    ("{village}", "村民小组长"),
    ("长沙县第一中学", "教师"),
    ("县人民医院", "主治医师"),
    ("三一重工股份有限公司", "技术员"),
    ("{township}卫生院", "护士长"),
    ("长沙县星沙农贸市场", "个体工商户"),
    ("金井茶叶专业合作社", "理事长"),
    ("{village}", "种植大户"),
    ("长沙经开区企业", "高级技工"),
]


def seed_representatives(rng: random.Random, places: dict, stations: list) -> list:
    townships = places["townships"]
    street_stations = [s for s in stations if s.region_id in {t.code for t in townships[:5]}]
    stations_by_township: dict[str, list] = {}
    for station in stations:
        stations_by_township.setdefault(station.region_id[:9] + "000", []).append(station)
    villages = places["villages"]

    people, seats = [], []
    for level, count in COUNTS.items():
        for number in range(1, count + 1):
            township = rng.choice(townships)
            village = rng.choice(
                [v for v in villages if v.parent_id == township.code] or [township]
            )
            grassroots = rng.random() < GRASSROOTS_SHARE[level]
            unit, post = rng.choice(GRASSROOTS_POSTS if grassroots else OFFICIAL_POSTS)
            region, district = _region_and_district(level, number, township, places)
            people.append(
                Representative(
                    number=f"{number:04d}",
                    name=names.person(rng),
                    gender=rng.choice([Gender.MALE, Gender.MALE, Gender.FEMALE]),
                    level=level,
                    term=TERMS[level],
                    electoral_district=district,
                    region=region,
                    work_unit=unit.format(township=township.name, village=village.name),
                    position=post,
                    kind=RepresentativeKind.GRASSROOTS
                    if grassroots
                    else RepresentativeKind.OFFICIAL,
                    public_phone=f"0731-8{rng.randrange(10**6, 10**7)}",
                    private_phone=names.mobile(rng),
                    published=True,
                )
            )
            # County and township deputies sit in their district's station; the upper
            # levels mostly in a street station near where they live or work.
            if level in (CongressLevel.COUNTY, CongressLevel.TOWNSHIP):
                seats.append(rng.choice(stations_by_township[township.code]))
            else:
                seats.append(rng.choice(street_stations))
    Representative.objects.bulk_create(people)
    people = list(Representative.objects.order_by("pk"))
    StationMembership.objects.bulk_create(
        StationMembership(station=station, representative=person, start_date=TERM_START)
        for person, station in zip(people, seats, strict=True)
    )
    _seed_groups(rng, places, people)
    return people


def _region_and_district(level, number, township, places):
    if level == CongressLevel.NATIONAL:
        return places["province"], "湖南省代表团"
    if level == CongressLevel.PROVINCIAL:
        return places["province"], "长沙市选举单位"
    if level == CongressLevel.CITY:
        return places["city"], "长沙县选举单位"
    if level == CongressLevel.COUNTY:
        return places["county"], f"{township.name}第{number % 9 + 1}选区"
    return township, f"{township.name}第{number % 12 + 1}选区"


def _seed_groups(rng: random.Random, places: dict, people: list) -> None:
    county_people = [p for p in people if p.level == CongressLevel.COUNTY]
    groups = []
    for township in places["townships"]:
        members = [p for p in county_people if p.electoral_district.startswith(township.name)]
        if not members:
            continue
        group = RepresentativeGroup.objects.create(
            name=f"{township.name}县人大代表小组",
            kind=GroupKind.LEVEL,
            level=CongressLevel.COUNTY,
            region=township,
            leader=members[0],
        )
        group.members.set(members)
        groups.append(group)
    mixed = RepresentativeGroup.objects.create(
        name="星沙片区五级代表混合小组",
        kind=GroupKind.MIXED,
        region=places["townships"][0],
        leader=people[0],
    )
    mixed.members.set(rng.sample(people, 20))
    industry = RepresentativeGroup.objects.create(
        name="工业园区企业代表小组",
        kind=GroupKind.INDUSTRY,
        industry="先进制造业",
        region=places["county"],
        leader=county_people[0],
    )
    industry.members.set(rng.sample(county_people, 15))
