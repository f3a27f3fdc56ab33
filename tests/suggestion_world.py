"""The case world plus a co-signing representative, and a driver that moves a
suggestion to any step through the real services."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from suggestions.models import Suggestion
from suggestions.proposals import services
from suggestions.proposals.models import Rating, Session, SuggestionStep
from tests.case_world import World, make_world
from tests.factories import RepresentativeFactory, representative_user


@dataclass
class SuggestionWorld:
    world: World
    co_signer: object

    @property
    def users(self) -> dict:
        return self.world.users

    def __getattr__(self, name):
        return getattr(self.world, name)


def make_suggestion_world() -> SuggestionWorld:
    world = make_world()
    co_signer = RepresentativeFactory(name="李四")
    world.users["co_signer"] = representative_user(co_signer)
    return SuggestionWorld(world=world, co_signer=co_signer)


def filed(w: SuggestionWorld, *, joint: bool = False, session: str = Session.RECESS, **kw):
    return services.suggestion_file(
        actor=w.users["receiver"],
        lead_representative=w.representative,
        co_signers=[w.co_signer] if joint else [],
        title=kw.pop("title", "关于加快农村公路提质改造的建议"),
        content=kw.pop("content", "部分村道路面破损严重，建议纳入年度提质改造计划。"),
        session=session,
        category=w.category,
        **kw,
    )


def rate_all(w: SuggestionWorld, suggestion, rating: str) -> None:
    signers = ["receiver", "co_signer"] if suggestion.signings.count() == 2 else ["receiver"]
    for user in signers:
        services.suggestion_rate(suggestion_id=suggestion.pk, actor=w.users[user], rating=rating)


def suggestion_at(
    w: SuggestionWorld,
    step: str,
    *,
    joint: bool = False,
    category: str = "A",
    rating: str = Rating.SATISFIED,
    **kw,
) -> Suggestion:
    """A fresh suggestion moved to ``step`` the way its users would move it."""
    u = w.users
    if step == SuggestionStep.REHANDLING:
        rating = Rating.UNSATISFIED
    if step == SuggestionStep.FOLLOW_UP:
        category = "B"
    suggestion = filed(w, joint=joint, **kw)
    if step == SuggestionStep.FILED:
        return _reload(suggestion)
    if step == SuggestionStep.RETURNED:
        services.suggestion_return(
            suggestion_id=suggestion.pk, actor=u["committee"], reason="personal", note="个人诉求"
        )
        return _reload(suggestion)
    services.suggestion_accept(suggestion_id=suggestion.pk, actor=u["committee"])
    if step == SuggestionStep.ACCEPTED:
        return _reload(suggestion)
    if step == SuggestionStep.MERGED:
        target = suggestion_at(w, SuggestionStep.ACCEPTED)
        services.suggestion_merge(
            suggestion_id=suggestion.pk, actor=u["committee"], into_id=target.pk
        )
        return _reload(suggestion)
    services.suggestion_assign(
        suggestion_id=suggestion.pk,
        actor=u["committee"],
        lead_unit=w.unit,
        co_units=[w.co_unit],
    )
    if step == SuggestionStep.ASSIGNED:
        return _reload(suggestion)
    services.suggestion_start(
        suggestion_id=suggestion.pk,
        actor=u["lead_unit"],
        handler_name="王科长",
        plan="实地踏勘后纳入提质改造计划。",
        planned_reply_date=timezone.localdate() + dt.timedelta(days=30),
    )
    if step == SuggestionStep.HANDLING:
        return _reload(suggestion)
    services.suggestion_reply(
        suggestion_id=suggestion.pk,
        actor=u["lead_unit"],
        category=category,
        text="已纳入今年农村公路提质改造计划。",
    )
    if step == SuggestionStep.REPLIED:
        return _reload(suggestion)
    rate_all(w, suggestion, rating)
    if step == SuggestionStep.RATED:
        return _reload(suggestion)
    if step == SuggestionStep.REHANDLING:
        services.suggestion_rehandle(
            suggestion_id=suggestion.pk, actor=u["committee"], note="限期重新办理"
        )
        return _reload(suggestion)
    if step == SuggestionStep.FOLLOW_UP:
        services.suggestion_follow_up(suggestion_id=suggestion.pk, actor=u["committee"])
        return _reload(suggestion)
    services.suggestion_close(suggestion_id=suggestion.pk, actor=u["committee"])
    return _reload(suggestion)


def _reload(suggestion) -> Suggestion:
    return Suggestion.objects.get(pk=suggestion.pk)
