"""Visits and cases of the demo county, in every step, made through the real services."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from liaison.base import clock
from liaison.base.calendar import WorkdayCalendar
from liaison.base.jurisdiction import settings_for
from liaison.base.models import JurisdictionSettings
from liaison.base.regions import ancestor_codes
from liaison.wiring.demo import names
from stations.models import VisitChannel
from suggestions.cases import callbacks, services, sweeps
from suggestions.models import Case, CaseCategory, Satisfaction, Step
from suggestions.shared import deadlines

# (title, description, category code) as constituents raise them at 长沙县 stations.
OPINIONS = [
    ("村道路面破损", "组里通往主干道的村道坑洼积水，雨天无法通行。", "transport"),
    ("路灯不亮", "小区东门三盏路灯坏了一个多月。", "urban-management"),
    ("垃圾清运不及时", "垃圾站每周只清运一次，夏天气味很大。", "environment"),
    ("农田灌溉渠堵塞", "灌溉渠淤塞，春耕前需要清淤。", "water"),
    ("学校门口交通安全", "放学时段车辆多，希望设置减速带和护学岗。", "education"),
    ("卫生院缺少儿科医生", "镇卫生院没有儿科门诊，看病要跑县城。", "health"),
    ("养老保险缴费咨询", "灵活就业人员如何续缴养老保险？", "social-security"),
    ("农贸市场占道经营", "市场外摊贩占道，影响通行。", "urban-management"),
    ("河道采砂", "河道有人夜间采砂，担心堤岸安全。", "safety"),
    ("茶叶收购价格", "希望政府帮助对接茶叶销售渠道。", "agriculture"),
]

# What the county's housing bureau (the demo's ``unit`` login) is asked about: the first
# round of the plan goes there, so that login has a case at every step.
HOUSING = [
    ("老旧小区改造进度", "小区列入老旧小区改造名单两年了，还没有开工。", "urban-management"),
    ("楼道墙皮脱落", "安置小区楼道墙皮大面积脱落，存在安全隐患。", "safety"),
    ("物业维修基金使用", "电梯维修想用维修基金，不知道怎么申请。", "other"),
]

# The county unit that answers for each category (the demo's right unit).
UNIT_OF_CATEGORY = {
    "transport": "县交通运输局",
    "urban-management": "县城市管理和综合执法局",
    "environment": "长沙市生态环境局长沙县分局",
    "water": "县水利局",
    "education": "县教育局",
    "health": "县卫生健康局",
    "social-security": "县人力资源和社会保障局",
    "safety": "县应急管理局",
    "agriculture": "县农业农村局",
}
# How many of the county's stations the demo's cases are spread over (the demo liaison's
# station, the first, keeps a round of its own).
SPREAD = 12

# The step each demo case is left at; several of each so every list has rows.
PLAN = [
    Step.RECEIVED,
    Step.REGISTERED,
    Step.HANDLING,
    Step.SUPERVISING,
    Step.FOLLOW_UP,
    Step.REPLIED,
    Step.FEEDBACK,
    Step.ARCHIVED,
    Step.MERGED,
    Step.WITHDRAWN,
] * 3

# Cases a unit let run late, as (working days since assignment, working days to reply):
# 10 working days overdue (escalation levels 1 and 2), 2 overdue (level 1), due in 2 (due soon).
LATE = [(25, 15), (25, 15), (17, 15), (17, 15), (13, 15)]


def seed_cases(rng: random.Random, *, stations: list, units: list) -> int:
    """Three rounds of the plan: the housing bureau's at the demo liaison's station, then
    two over the county's other stations, each case to the unit of its category."""
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    committee = users["committee"]
    categories = {c.code: c for c in CaseCategory.objects.all()}
    by_name = {unit.name: unit for unit in units}
    now = timezone.now()
    survivor = None
    for index, step in enumerate(PLAN):
        first_round = index < len(PLAN) // 3
        if first_round:
            title, description, category = HOUSING[index % len(HOUSING)]
            station, lead = stations[0], units[0]
        else:
            # Each round shifted by three: the steps that reach a unit meet more categories.
            title, description, category = OPINIONS[(index + 3 * (index // 10)) % len(OPINIONS)]
            station = stations[1 + index % (SPREAD - 1)]
            lead = by_name[UNIT_OF_CATEGORY.get(category, units[0].name)]
        if step == Step.MERGED:
            station = survivor.station  # a duplicate raised where its original was
        liaison, clerk = _staff(users, station, lead, stations[0], units[0])
        representatives = list(station.memberships.values_list("representative_id", flat=True)[:2])
        visited_at = _office_hours(now, days_ago=len(PLAN) - index, rng=rng)
        with clock.backdated(visited_at):
            visit = services.visit_record(
                actor=liaison,
                station=station,
                channel=rng.choice(
                    [
                        VisitChannel.WALK_IN,
                        VisitChannel.HOUSEHOLD,
                        VisitChannel.PHONE,
                        VisitChannel.WECHAT,
                    ]
                ),
                visited_at=visited_at,
                constituent_name=names.person(rng),
                constituent_phone=names.mobile(rng),
                people_count=rng.randint(1, 3),
                representatives=representatives,
                cases=[{"title": title, "description": description}],
            )
        case = visit.cases.get()
        _advance(case, step, categories[category], committee, liaison, clerk, lead, survivor)
        if step == Step.HANDLING:
            survivor = case
    # The late ones are the housing bureau's, at the first station: the demo's unit login
    # sees its escalations and the due-soon reminder.
    station, lead = stations[0], units[0]
    liaison, clerk = users["liaison"], users["unit"]
    representatives = list(station.memberships.values_list("representative_id", flat=True)[:2])
    for index, (ago, workdays) in enumerate(LATE):
        title, description, category = HOUSING[index % len(HOUSING)]
        visited_at = _office_hours(now, days_ago=ago * 7 // 5 + 2, rng=rng)
        with clock.backdated(visited_at):
            visit = services.visit_record(
                actor=liaison,
                station=station,
                channel=VisitChannel.PHONE,
                visited_at=visited_at,
                constituent_name=names.person(rng),
                constituent_phone=names.mobile(rng),
                representatives=representatives,
                cases=[{"title": title, "description": description}],
            )
        case = visit.cases.get()
        _advance(case, Step.HANDLING, categories[category], committee, liaison, clerk, lead, None)
        _assigned_earlier(Case.objects.get(pk=case.pk), ago=ago, workdays=workdays)
    # The first morning's sweeps, as beat (or ``make run``'s loop) runs them: unregistered
    # and unassigned cases flagged, the unit reminded, overdue cases escalated, each with
    # its notices.
    sweeps.cases_unregistered_flag()
    sweeps.cases_unassigned_flag()
    sweeps.cases_due_soon_remind()
    sweeps.cases_escalate()
    _close_the_loop(station, committee)
    return len(PLAN) + len(LATE)


def _staff(users: dict, station, unit, first_station, first_unit) -> tuple:
    """The station's liaison and the unit's clerk (demo/users.py names them by pk)."""
    liaison = users["liaison"] if station == first_station else users[f"liaison{station.pk}"]
    clerk = users["unit"] if unit == first_unit else users[f"unit{unit.pk}"]
    return liaison, clerk


def _close_the_loop(station, committee) -> None:
    """The loop with the constituent: one reply rated by its constituent on the status
    page, one not solved and concluded by the committee, and the morning's call-back
    sample (a third of the county's replied cases) on the committee's list."""
    county = ancestor_codes(station.region_id)[2]
    JurisdictionSettings.objects.update_or_create(
        region_id=county, defaults={"case_callback_percent": 34}
    )
    replied = list(Case.objects.filter(step=Step.REPLIED).order_by("pk")[:2])
    if replied:
        services.case_rate(
            case_id=replied[0].pk, satisfaction=Satisfaction.BASIC, comment="修好了，希望更快一些"
        )
    followed = Case.objects.filter(step=Step.FOLLOW_UP).order_by("pk").first()
    if followed:
        with clock.backdated(_yesterday_evening()):
            services.case_conclude(
                case_id=followed.pk,
                actor=committee,
                conclusion="该路段改造需纳入县级交通规划，目前暂无法解决，已转交县交通运输局列入明年计划。",
            )
    callbacks.cases_callback_sample()


def _moments(since: dt.datetime):
    """When each of a case's moves happened: on days spread between its visit and
    yesterday, in office hours, one after another (the visit's own day, minutes after
    it), so that its timeline reads as it would have."""
    visited = timezone.localtime(since)
    days = (timezone.localdate() - visited.date()).days  # at least 1: visits are past days
    for step in range(1, 9):
        offset = days * step // 9
        if offset == 0:
            yield since + dt.timedelta(minutes=5 * step)
        else:
            day = visited.date() + dt.timedelta(days=offset)
            start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
            yield start + dt.timedelta(minutes=40 * step)


def _yesterday_evening() -> dt.datetime:
    """After every demo move (the last are at yesterday's 16:40 at the latest)."""
    day = timezone.localdate() - dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(16, 50)))


def _office_hours(now: dt.datetime, *, days_ago: int, rng: random.Random) -> dt.datetime:
    """A time between 9:00 and 16:00, Beijing time, ``days_ago`` days back (the moves of
    the same day follow within the office's hours)."""
    day = timezone.localtime(now).date() - dt.timedelta(days=days_ago)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    return start + dt.timedelta(minutes=rng.randrange(7 * 60))


def _assigned_earlier(case, *, ago: int, workdays: int) -> None:
    """Demo history: the case was assigned ``ago`` working days back, so its deadline (and
    the sweeps' next date) are recomputed from then by the real deadline rules. Its events
    keep the seeding time: history is append-only."""
    today = timezone.localdate()
    start = WorkdayCalendar(today).shift(today, -ago).date
    case.deadline, case.deadline_explanation = deadlines.in_workdays(
        start=start, workdays=workdays, rule="reply"
    )
    case.next_sweep_on = sweeps.first_sweep_on(case, rules=settings_for(case.region_id))
    Case.objects.filter(pk=case.pk).update(
        deadline=case.deadline,
        deadline_explanation=case.deadline_explanation,
        next_sweep_on=case.next_sweep_on,
    )


def _advance(case, step, category, committee, liaison, clerk, lead, survivor) -> None:
    if step == Step.RECEIVED:
        return
    times = _moments(case.received_at)

    def moment():
        return clock.backdated(next(times))

    # A case left at registered is a county matter, which the committee may turn into a
    # representative suggestion (demo/suggestions.py); the rest are the township's.
    authority = "county" if step == Step.REGISTERED else "township"
    with moment():
        services.case_register(
            case_id=case.pk, actor=liaison, category=category, authority=authority
        )
    if step == Step.REGISTERED:
        return
    if step == Step.MERGED:
        with moment():
            services.case_merge(case_id=case.pk, actor=liaison, into_id=survivor.pk)
        return
    if step == Step.WITHDRAWN:
        with moment():
            services.case_withdraw(case_id=case.pk, actor=liaison, reason="群众表示问题已自行解决")
        return
    with moment():
        services.case_refer_by_letter(case_id=case.pk, actor=committee, unit=lead)
    if step == Step.HANDLING:
        return
    with moment():
        services.case_supervise(case_id=case.pk, actor=committee, note="联工委督办，请按期答复")
    if step == Step.SUPERVISING:
        return
    if step == Step.FOLLOW_UP:
        with moment():
            services.case_reply_in_progress(
                case_id=case.pk,
                actor=clerk,
                reply="已列入本季度维修计划，施工队排期中。",
                public_reply="您反映的问题已列入本季度维修计划，我们会在下次答复时告知进度。",
                next_reply_on=timezone.localdate() + dt.timedelta(days=20),
            )
        return
    with moment():
        services.case_reply(
            case_id=case.pk,
            actor=clerk,
            result="solved",
            reply="已安排维修，本周完成。",
            public_reply="您反映的问题已安排维修，本周内完成。感谢您的监督。",
        )
    if step == Step.REPLIED:
        return
    with moment():
        services.case_feedback(
            case_id=case.pk, actor=liaison, satisfaction=Satisfaction.SATISFIED, note="电话告知群众"
        )
    if step == Step.FEEDBACK:
        return
    with moment():
        services.case_archive(
            case_id=case.pk,
            actor=committee,
            public_summary="群众反映的问题已由承办单位解决，群众满意。",
            published=True,
        )
