"""A county with one station and someone in every role, and a driver that moves a
case to any step through the real services."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from stations.models import VisitChannel
from suggestions.cases import services
from suggestions.models import Case, CaseCategory, Satisfaction, Step
from tests.factories import (
    HandlingUnitFactory,
    MembershipFactory,
    RepresentativeFactory,
    StationFactory,
    committee_user,
    liaison_user,
    region,
    representative_user,
    unit_user,
)

TOWNSHIP = "430121001000"
COUNTY = "430121000000"
OTHER_COUNTY = "430181000000"


@dataclass
class World:
    station: object
    other_station: object
    unit: object
    co_unit: object
    other_unit: object
    representative: object
    users: dict
    category: CaseCategory


def make_world() -> World:
    station = StationFactory(region=region(TOWNSHIP, "星沙街道"))
    other_station = StationFactory(region=region("430181001000", "淮川街道"))
    unit, co_unit, other_unit = (HandlingUnitFactory() for _ in range(3))
    representative, other_representative = RepresentativeFactory(), RepresentativeFactory()
    # Seated where the world's visits are logged: a visit names only such representatives.
    MembershipFactory(station=station, representative=representative)
    users = {
        "liaison": liaison_user(station),
        "committee": committee_user(COUNTY),
        "township_committee": committee_user(TOWNSHIP),
        "admin": get_user_model().objects.create_superuser("root", password="pw-for-tests"),
        "lead_unit": unit_user(unit),
        "co_unit": unit_user(co_unit),
        "receiver": representative_user(representative),
        "other_liaison": liaison_user(other_station),
        "other_committee": committee_user(OTHER_COUNTY),
        "other_unit": unit_user(other_unit),
        "other_representative": representative_user(other_representative),
    }
    return World(
        station=station,
        other_station=other_station,
        unit=unit,
        co_unit=co_unit,
        other_unit=other_unit,
        representative=representative,
        users=users,
        # get_or_create: transactional tests flush the categories the migration seeded.
        category=CaseCategory.objects.get_or_create(code="transport", defaults={"name": "交通"})[0],
    )


def received(world: World, *, title: str = "路灯不亮") -> Case:
    visit = services.visit_record(
        actor=world.users["liaison"],
        station=world.station,
        channel=VisitChannel.HOUSEHOLD,
        visited_at=timezone.now() - dt.timedelta(hours=1),
        constituent_name="张三",
        constituent_phone="13812345678",
        representatives=[world.representative],
        cases=[{"title": title, "description": "村口三盏路灯坏了一个月。"}],
    )
    return visit.cases.get()


def case_at(
    world: World,
    step: str,
    *,
    satisfaction: str = Satisfaction.SATISFIED,
    authority: str = "township",
) -> Case:
    """A fresh case moved to ``step`` the way staff would move it."""
    u = world.users
    case = received(world)
    if step == Step.RECEIVED:
        return case
    services.case_register(
        case_id=case.pk, actor=u["liaison"], category=world.category, authority=authority
    )
    if step == Step.REGISTERED:
        return _reload(case)
    if step in (Step.MERGED, Step.WITHDRAWN):
        services.case_withdraw(case_id=case.pk, actor=u["liaison"], reason="群众撤回")
        return _reload(case)
    services.case_refer_by_letter(
        case_id=case.pk, actor=u["committee"], unit=world.unit, co_units=[world.co_unit]
    )
    if step == Step.HANDLING:
        return _reload(case)
    if step == Step.SUPERVISING:
        services.case_supervise(case_id=case.pk, actor=u["committee"], note="请加快办理")
        return _reload(case)
    if step == Step.FOLLOW_UP:
        services.case_reply_in_progress(
            case_id=case.pk,
            actor=u["lead_unit"],
            reply="已列入计划，下月施工",
            public_reply="路灯已列入维修计划，下月施工。",
            next_reply_on=timezone.localdate() + dt.timedelta(days=30),
        )
        return _reload(case)
    services.case_reply(
        case_id=case.pk,
        actor=u["lead_unit"],
        result="solved",
        reply="已修复路灯",
        public_reply="村口路灯已修复。",
    )
    if step == Step.REPLIED:
        return _reload(case)
    services.case_feedback(
        case_id=case.pk, actor=u["liaison"], satisfaction=satisfaction, note="电话告知群众"
    )
    if step == Step.FEEDBACK:
        return _reload(case)
    services.case_archive(case_id=case.pk, actor=u["committee"])
    return _reload(case)


def _reload(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)
