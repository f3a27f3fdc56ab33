"""The demo county, modelled on 长沙县: 18 townships and streets and 125 stations."""

import random

from liaison.base.models import JurisdictionSettings, Region
from liaison.base.regions import RegionLevel
from liaison.wiring.demo import names
from stations.models import ChecklistItem, Station, StationChecklist, StationKind
from suggestions.models import HandlingUnit, UnitKind

PROVINCE = ("430000000000", "湖南省")
CITY = ("430100000000", "长沙市")
COUNTY = ("430121000000", "长沙县")

STREETS = ["星沙街道", "湘龙街道", "泉塘街道", "榔梨街道", "松雅湖街道"]
TOWNS = [
    "安沙镇",
    "北山镇",
    "福临镇",
    "高桥镇",
    "果园镇",
    "黄花镇",
    "黄兴镇",
    "江背镇",
    "金井镇",
    "开慧镇",
    "路口镇",
    "青山铺镇",
    "春华镇",
]
STATION_COUNT = 125

COUNTY_UNITS = [
    ("县住房和城乡建设局", UnitKind.GOVERNMENT),
    ("县交通运输局", UnitKind.GOVERNMENT),
    ("县教育局", UnitKind.GOVERNMENT),
    ("县卫生健康局", UnitKind.GOVERNMENT),
    ("县农业农村局", UnitKind.GOVERNMENT),
    ("县水利局", UnitKind.GOVERNMENT),
    ("长沙市生态环境局长沙县分局", UnitKind.GOVERNMENT),
    ("县人力资源和社会保障局", UnitKind.GOVERNMENT),
    ("县城市管理和综合执法局", UnitKind.GOVERNMENT),
    ("县应急管理局", UnitKind.GOVERNMENT),
    ("县民政局", UnitKind.GOVERNMENT),
    ("县自然资源局", UnitKind.GOVERNMENT),
    ("县市场监督管理局", UnitKind.GOVERNMENT),
    ("县公安局", UnitKind.GOVERNMENT),
    ("县人民法院", UnitKind.COURT),
    ("县人民检察院", UnitKind.PROCURATORATE),
]
TOWNSHIP_UNITS = ["社会事务办", "规划建设办"]


def seed_regions(rng: random.Random) -> dict:
    top = [
        Region(code=PROVINCE[0], name=PROVINCE[1], level=RegionLevel.PROVINCE),
        Region(code=CITY[0], name=CITY[1], level=RegionLevel.CITY, parent_id=PROVINCE[0]),
        Region(code=COUNTY[0], name=COUNTY[1], level=RegionLevel.COUNTY, parent_id=CITY[0]),
    ]
    townships = []
    for index, name in enumerate(STREETS, start=1):
        townships.append(_township(index, name))
    for index, name in enumerate(TOWNS, start=100):
        townships.append(_township(index, name))
    # Every township keeps its own station; the rest are spread over villages and communities.
    per_township = _spread(STATION_COUNT - len(townships), len(townships), rng)
    villages, used = [], set()
    for township, count in zip(townships, per_township, strict=True):
        street = township.name.endswith("街道")
        for number in range(1, count + 1):
            suffix = "社区" if street or rng.random() < 0.3 else "村"
            villages.append(
                Region(
                    code=township.code[:9] + f"{(200 if suffix == '村' else 0) + number:03d}",
                    name=names.place(rng, used) + suffix,
                    level=RegionLevel.VILLAGE,
                    parent_id=township.code,
                )
            )
    Region.objects.bulk_create(top + townships + villages)
    JurisdictionSettings.objects.create(region_id=COUNTY[0])
    return {
        "county": top[2],
        "city": top[1],
        "province": top[0],
        "townships": townships,
        "villages": villages,
    }


def _township(index: int, name: str) -> Region:
    return Region(
        code=f"430121{index:03d}000", name=name, level=RegionLevel.TOWNSHIP, parent_id=COUNTY[0]
    )


def _spread(total: int, buckets: int, rng: random.Random) -> list[int]:
    counts = [total // buckets] * buckets
    for index in rng.sample(range(buckets), total % buckets):
        counts[index] += 1
    return counts


def seed_stations(rng: random.Random, places: dict) -> list[Station]:
    stations = []
    for township in places["townships"]:
        stations.append(
            Station(
                name=f"{township.name}人大代表联络站",
                kind=StationKind.STATION,
                region=township,
                address=f"长沙县{township.name}便民服务中心二楼",
                in_service_centre=True,
                opening_notes="每月15日上午9:00—12:00代表接待；工作日可来站反映意见。",
            )
        )
    kinds = [StationKind.STATION] * 6 + [StationKind.STUDIO, StationKind.HOME, StationKind.CONTACT]
    for village in places["villages"]:
        kind = rng.choice(kinds)
        label = {
            StationKind.STATION: "人大代表联络站",
            StationKind.STUDIO: "人大代表工作室",
            StationKind.HOME: "人大代表之家",
            StationKind.CONTACT: "人大代表联系群众工作站",
        }[kind]
        stations.append(
            Station(
                name=f"{village.name}{label}",
                kind=kind,
                region=village,
                address=f"长沙县{village.name}党群服务中心",
                opening_notes="每月15日上午代表接待。",
            )
        )
    # The county's own numbering, which the imports and exports key stations by.
    for index, station in enumerate(stations, start=1):
        station.code = f"CS-{index:03d}"
    Station.objects.bulk_create(stations)
    stations = list(Station.objects.order_by("pk"))
    items = list(ChecklistItem.objects.all())
    StationChecklist.objects.bulk_create(
        StationChecklist(station=station, item=item, done=rng.random() < 0.85)
        for station in stations
        for item in items
    )
    return stations


def seed_units(rng: random.Random, places: dict) -> list[HandlingUnit]:
    units = [
        HandlingUnit(
            name=name,
            kind=kind,
            region=places["county"],
            contact_name=names.person(rng),
            contact_phone=f"0731-8{rng.randrange(10**6, 10**7)}",
        )
        for name, kind in COUNTY_UNITS
    ]
    units += [
        HandlingUnit(
            name=f"{township.name}{office}",
            region=township,
            contact_name=names.person(rng),
            contact_phone=names.mobile(rng),
        )
        for township in places["townships"]
        for office in TOWNSHIP_UNITS
    ]
    HandlingUnit.objects.bulk_create(units)
    return list(HandlingUnit.objects.order_by("pk"))
