"""Representative suggestions of the demo county in every step, made through the
real services by the demo logins (the representative files, the committee accepts
and assigns, the 住建局 clerk handles with 交通运输局 as co-unit)."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from representatives.models import Representative
from suggestions.cases import services as case_services
from suggestions.models import Case, CaseCategory, HandlingUnit, Step, Suggestion
from suggestions.proposals import services
from suggestions.proposals.models import Rating, Session
from suggestions.proposals.models import SuggestionStep as S

# (title, content, category code) in the style of 浏阳's suggestions.
TOPICS = [
    (
        "关于加快农村公路提质改造的建议",
        "部分村组道路窄、弯、破，建议纳入年度提质改造计划。",
        "transport",
    ),
    (
        "关于增设城区公交站点的建议",
        "星沙东片区居民出行不便，建议优化公交线路、增设站点。",
        "transport",
    ),
    (
        "关于老旧小区加装电梯的建议",
        "老旧小区老年居民多，建议简化加装电梯审批、给予补贴。",
        "urban-management",
    ),
    (
        "关于加强乡镇卫生院儿科建设的建议",
        "乡镇卫生院缺少儿科医生，建议定向培养并建立县乡轮岗。",
        "health",
    ),
    ("关于农田水利设施维护的建议", "部分灌溉渠道年久失修，建议明确管护主体和经费。", "water"),
    ("关于校园周边交通安全的建议", "上下学时段校门口拥堵，建议设置减速带和护学岗。", "education"),
    (
        "关于规范农贸市场经营秩序的建议",
        "市场外占道经营严重，建议划定临时摊区。",
        "urban-management",
    ),
    ("关于支持茶产业品牌建设的建议", "建议整合茶叶公用品牌，支持电商销售。", "agriculture"),
]

# The step each demo suggestion is left at.
PLAN = [
    S.FILED,
    S.RETURNED,
    S.ACCEPTED,
    S.ASSIGNED,
    S.HANDLING,
    S.REPLIED,
    S.RATED,
    S.REHANDLING,
    S.FOLLOW_UP,
    S.CLOSED,
    S.CLOSED,
    S.CLOSED,
    S.MERGED,
]


def seed_suggestions(rng: random.Random) -> int:
    """Seed once: does nothing when the demo county already has suggestions."""
    if Suggestion.objects.exists():
        return 0
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    me = Representative.objects.get(user=users["representative"])
    co_signer = (
        Representative.objects.filter(region_id=me.region_id, level=me.level)
        .exclude(pk=me.pk)
        .order_by("pk")
        .first()
    )
    lead, co = HandlingUnit.objects.filter(region_id=me.region_id).order_by("pk")[:2]
    demo = Demo(users, me, co_signer, lead, co, {c.code: c for c in CaseCategory.objects.all()})
    closed = []
    for index, step in enumerate(PLAN):
        title, content, category = TOPICS[index % len(TOPICS)]
        joint = index % 3 == 0
        suggestion = demo.advance(step, title, content, category, joint=joint, index=index)
        if step == S.CLOSED:
            closed.append(suggestion)
    demo.from_case()
    committee = users["committee"]
    for suggestion in closed:
        services.suggestion_publish(suggestion_id=suggestion.pk, actor=committee)
    services.suggestions_select_excellent(
        actor=committee,
        region_code=me.region_id,
        year=timezone.localdate().year,
        suggestion_ids=[closed[0].pk],
    )
    return Suggestion.objects.count()


class Demo:
    def __init__(self, users, me, co_signer, lead, co, categories):
        self.committee, self.clerk = users["committee"], users["unit"]
        self.me_user = users["representative"]
        self.co_clerk = users.get(f"unit{co.pk}")
        self.co_signer_user = co_signer.user if co_signer else None
        self.me, self.co_signer, self.lead, self.co = me, co_signer, lead, co
        self.categories = categories
        self.merge_target = None

    def advance(self, step, title, content, category, *, joint, index):
        session = Session.SESSION if index % 2 else Session.RECESS
        suggestion = services.suggestion_file(
            actor=self.me_user,
            lead_representative=self.me,
            co_signers=[self.co_signer] if joint and self.co_signer else [],
            title=title,
            content=content,
            session=session,
            category=self.categories.get(category),
        )
        pk, committee = suggestion.pk, self.committee
        if step == S.FILED:
            return suggestion
        if step == S.RETURNED:
            services.suggestion_return(
                suggestion_id=pk,
                actor=committee,
                reason="personal",
                note="属个人诉求，建议通过信访渠道反映。",
            )
            return suggestion
        services.suggestion_accept(
            suggestion_id=pk,
            actor=committee,
            is_key=index == 4,
            key_leader="mayor" if index == 4 else "",
            key_leader_name="市长" if index == 4 else "",
        )
        if step == S.ACCEPTED:
            self.merge_target = suggestion
            return suggestion
        if step == S.MERGED:
            services.suggestion_merge(
                suggestion_id=pk, actor=committee, into_id=self.merge_target.pk
            )
            return suggestion
        services.suggestion_assign(
            suggestion_id=pk, actor=committee, lead_unit=self.lead, co_units=[self.co]
        )
        if step == S.ASSIGNED:
            return suggestion
        self._handle(suggestion)
        if step == S.HANDLING:
            return suggestion
        category = "B" if step == S.FOLLOW_UP else "A"
        services.suggestion_reply(
            suggestion_id=pk,
            actor=self.clerk,
            category=category,
            text="经实地调研，已将该事项纳入本年度工作计划并组织实施。",
            expected_by=timezone.localdate() + dt.timedelta(days=120) if category == "B" else None,
        )
        if step == S.REPLIED:
            return suggestion
        unsatisfied = step == S.REHANDLING or index == 11
        self._rate(suggestion, Rating.UNSATISFIED if unsatisfied else Rating.SATISFIED)
        if step == S.RATED:
            return suggestion
        if step == S.FOLLOW_UP:
            services.suggestion_follow_up(suggestion_id=pk, actor=committee)
            return suggestion
        if unsatisfied:
            services.suggestion_rehandle(
                suggestion_id=pk, actor=committee, note="代表测评不满意，限期重新办理。"
            )
            if step == S.REHANDLING:
                return suggestion
            services.suggestion_reply(
                suggestion_id=pk, actor=self.clerk, category="A", text="已重新办理，问题已解决。"
            )
            self._rate(suggestion, Rating.BASIC)
        services.suggestion_close(suggestion_id=pk, actor=committee)
        return suggestion

    def _handle(self, suggestion):
        services.suggestion_start(
            suggestion_id=suggestion.pk,
            actor=self.clerk,
            handler_name="王建国",
            handler_phone="0731-84011234",
            plan="一、实地调研；二、会同协办单位制定方案；三、按期答复代表。",
            planned_reply_date=timezone.localdate() + dt.timedelta(days=60),
        )
        services.suggestion_record_contact(
            suggestion_id=suggestion.pk,
            actor=self.clerk,
            stage="before",
            way="phone",
            on=timezone.localdate(),
            note="办前电话联系代表，了解诉求。",
        )
        if self.co_clerk:
            services.suggestion_counit_opinion(
                suggestion_id=suggestion.pk, actor=self.co_clerk, opinion="同意牵头单位办理意见。"
            )

    def _rate(self, suggestion, rating):
        for user in (self.me_user, self.co_signer_user):
            if user and suggestion.signings.filter(representative__user=user).exists():
                services.suggestion_rate(suggestion_id=suggestion.pk, actor=user, rating=rating)
        for signing in suggestion.signings.filter(representative__user__isnull=True):
            services.suggestion_rate(
                suggestion_id=suggestion.pk,
                actor=self.committee,
                rating=rating,
                representative=signing.representative,
            )

    def from_case(self):
        """A registered station case the committee turns into a suggestion and files."""
        case = Case.objects.filter(step=Step.REGISTERED).order_by("pk").first()
        if case is None:
            return
        case_services.case_to_suggestion(
            case_id=case.pk, actor=self.committee, note="涉及县级部门职责，转为代表建议。"
        )
        services.suggestion_file(
            actor=self.committee,
            lead_representative=self.me,
            title=case.title,
            content=case.description,
            session=Session.RECESS,
            category=case.category,
            source_case_id=case.pk,
        )
