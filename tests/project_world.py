"""A county congress with a candidate list, someone in every role, and drivers that take
projects through the real services."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from projects.models import BallotKind, Category
from projects.services import screening, topics, votes
from tests.case_world import COUNTY, OTHER_COUNTY, TOWNSHIP
from tests.factories import (
    HandlingUnitFactory,
    RepresentativeFactory,
    StationFactory,
    committee_user,
    liaison_user,
    region,
    representative_user,
    unit_user,
)

YEAR = 2026


@dataclass
class World:
    county: object
    station: object
    unit: object
    reps: list
    users: dict


def make_world(n_reps: int = 3) -> World:
    county = region(COUNTY, "长沙县")
    region(TOWNSHIP, "星沙街道")
    station = StationFactory(region=region(TOWNSHIP))
    unit, other_unit = HandlingUnitFactory(), HandlingUnitFactory()
    reps = [RepresentativeFactory(region=county) for _ in range(n_reps)]
    for rep in reps:
        representative_user(rep)
    outsider = RepresentativeFactory(region=region(OTHER_COUNTY))
    users = {
        "committee": committee_user(COUNTY),
        "other_committee": committee_user(OTHER_COUNTY),
        "liaison": liaison_user(station),
        "unit": unit_user(unit),
        "other_unit": unit_user(other_unit),
        "admin": get_user_model().objects.create_superuser("root", password="pw-for-tests"),
        "outsider": representative_user(outsider),
    }
    return World(county=county, station=station, unit=unit, reps=reps, users=users)


def topic(world: World, title: str = "新建村级卫生室", **kwargs):
    return topics.project_collect(
        actor=world.users["committee"],
        region=world.county,
        year=YEAR,
        title=title,
        category=kwargs.pop("category", Category.HEALTH),
        **kwargs,
    )


def candidate_list(world: World, n: int) -> list:
    projects = [topic(world, f"民生议题{i}") for i in range(n)]
    for p in projects:
        screening.project_shortlist(project_id=p.pk, actor=world.users["committee"])
    return projects


def open_vote(world: World, *, seats: int, kind=BallotKind.PAPER, members=100, present=90, **kw):
    return votes.vote_open(
        actor=world.users["committee"],
        region=world.county,
        year=YEAR,
        session="第三次会议",
        kind=kind,
        seats=seats,
        members=members,
        present=present,
        **kw,
    )


def paper_count(world: World, vote, figures: dict) -> None:
    """``figures``: {project: votes_for or (for, against, abstain, invalid)}."""
    counts = {}
    for project, value in figures.items():
        f, a, ab, inv = value if isinstance(value, tuple) else (value, 0, 0, 0)
        counts[project.pk] = {"votes_for": f, "against": a, "abstain": ab, "invalid": inv}
    votes.tally_enter(vote_id=vote.pk, actor=world.users["committee"], counts=counts)
