"""Livelihood projects in the demo: each township's topics, candidate list and paper vote,
through the real services; the county committee acts. The first adopted projects are
assigned to a unit, with milestones, a progress report and the supervisors' mid-year
ratings. ``seed_votes`` also builds the 辰溪-shaped fixture of the tests (23 townships,
156 topics, 110 projects)."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from liaison.base.models import Region
from liaison.base.regions import RegionLevel
from projects.models import BallotKind, Category, Project
from projects.services import delivery, screening, topics, votes
from representatives.models import Representative
from suggestions.models import HandlingUnit, Satisfaction, UnitStaff

COUNTY = "430121000000"
# 辰溪 (seed 004): 23 townships, 156 topics, 110 projects: 18 × (7 topics, 5 projects) and
# 5 × (6 topics, 4 projects).
CHENXI_PLAN = [(7, 5)] * 18 + [(6, 4)] * 5

SUBJECTS = [
    ("{}中心小学运动场改造", Category.EDUCATION),
    ("{}卫生院设备更新", Category.HEALTH),
    ("{}高标准农田建设", Category.AGRICULTURE),
    ("{}农村安全饮水提质", Category.WATER),
    ("{}垃圾分类收运站", Category.ENVIRONMENT),
    ("{}通组公路硬化", Category.TRANSPORT),
    ("{}居家养老服务中心", Category.ELDERLY),
    ("{}老旧小区路灯改造", Category.OTHER),
]


def seed_votes(*, actor, townships: list[Region], plan: list[tuple[int, int]], year: int):
    """Per township: ``topics`` topics, all on the candidate list, a paper vote for
    ``seats`` projects (every representative present; the first ``seats`` by votes win)."""
    adopted = []
    for township, (n_topics, seats) in zip(townships, plan, strict=True):
        candidates = []
        for index in range(n_topics):
            title, category = SUBJECTS[index % len(SUBJECTS)]
            project = topics.project_collect(
                actor=actor,
                region=township,
                year=year,
                title=title.format(township.name),
                category=category,
                estimated_cost=50 + 10 * index,
            )
            screening.project_shortlist(project_id=project.pk, actor=actor)
            candidates.append(project)
        vote = votes.vote_open(
            actor=actor,
            region=township,
            year=year,
            session="第十八届人民代表大会第三次会议",
            kind=BallotKind.PAPER,
            seats=seats,
            members=60,
            present=55,
        )
        counts = {
            p.pk: {
                "votes_for": 50 - index if index < seats else 20 - index,
                "against": 3 + index if index < seats else 30,
                "abstain": 1,
                "invalid": 1,
            }
            for index, p in enumerate(candidates)
        }
        votes.tally_enter(vote_id=vote.pk, actor=actor, counts=counts)
        votes.vote_publish(vote_id=vote.pk, actor=actor)
        adopted += candidates[:seats]
    return adopted


def seed_projects(rng: random.Random) -> None:
    """Once: the demo county's first six townships vote this year's projects."""
    committee = get_user_model().objects.filter(username="committee").first()
    if committee is None or Project.objects.exists():
        return
    townships = list(
        Region.objects.filter(parent_id=COUNTY, level=RegionLevel.TOWNSHIP).order_by("code")[:6]
    )
    today = timezone.localdate()
    adopted = seed_votes(actor=committee, townships=townships, plan=[(6, 4)] * 6, year=today.year)
    staff = UnitStaff.objects.select_related("unit", "user").order_by("id").first()
    if staff is None:
        return
    # A public topic waiting to be screened, and one left out with its reason.
    topics.project_submit_public(
        region=townships[0],
        title="小区加装电梯",
        category=Category.OTHER,
        description="老旧小区六层无电梯，老人上下楼困难。",
        name="",
        phone="13800000000",
    )
    dropped = topics.project_collect(
        actor=committee, region=townships[1], year=today.year, title="新建体育馆", category="other"
    )
    screening.project_leave_out(
        project_id=dropped.pk, actor=committee, reason="投资超出乡镇财力，建议列入县级规划"
    )
    for project in adopted[:8]:
        supervisors = list(
            Representative.objects.filter(region_id=project.region_id).order_by("id")[:2]
        )
        delivery.project_assign(
            project_id=project.pk,
            actor=committee,
            unit=staff.unit if rng.random() < 0.5 else HandlingUnit.objects.order_by("?").first(),
            budget=project.estimated_cost,
            supervisors=supervisors,
        )
        project.refresh_from_db()
        unit_user = UnitStaff.objects.filter(unit_id=project.unit_id).select_related("user").first()
        if unit_user is None:
            continue
        for months, title in ((2, "完成设计和招标"), (5, "主体完工"), (8, "验收交付")):
            delivery.milestone_add(
                project_id=project.pk,
                actor=unit_user.user,
                title=title,
                due_on=dt.date(today.year, 1, 15) + dt.timedelta(days=30 * months),
            )
        first = project.milestones.order_by("due_on").first()
        delivery.progress_report(
            project_id=project.pk,
            actor=unit_user.user,
            text="已完成设计和招标，施工单位进场。",
            progress=35,
            milestone_id=first.pk,
        )
        for rep in supervisors:
            if rep.user_id:
                delivery.project_rate(
                    project_id=project.pk,
                    actor=rep.user,
                    period="mid_year",
                    rating=rng.choice([Satisfaction.SATISFIED, Satisfaction.BASIC]),
                )
