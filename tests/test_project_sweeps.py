"""Milestone reminders and escalation: on the day, once, catching up missed days."""

import datetime as dt

import pytest

from liaison.base.notifications.models import Notification
from projects.services import delivery, votes
from projects.sweeps import milestones_sweep
from tests.clock import frozen
from tests.factories import committee_user
from tests.project_world import candidate_list, make_world, open_vote, paper_count

pytestmark = pytest.mark.django_db


def _in_progress(due_on: dt.date):
    world = make_world()
    projects = candidate_list(world, 2)
    vote = open_vote(world, seats=1)
    paper_count(world, vote, {projects[0]: 80, projects[1]: 20})
    votes.vote_publish(vote_id=vote.pk, actor=world.users["committee"])
    delivery.project_assign(
        project_id=projects[0].pk, actor=world.users["committee"], unit=world.unit
    )
    delivery.milestone_add(
        project_id=projects[0].pk, actor=world.users["unit"], title="完成选址", due_on=due_on
    )
    return world, projects[0]


def _told(kind: str) -> set:
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


@frozen(dt.date(2026, 6, 22))
def test_the_unit_is_reminded_within_the_lead_time_once():
    world, _ = _in_progress(dt.date(2026, 6, 26))
    milestones_sweep()
    milestones_sweep()
    assert _told("project_milestone_due") == {world.users["unit"].username}
    assert Notification.objects.filter(kind="project_milestone_due").count() == 1


@frozen(dt.date(2026, 6, 22))
def test_a_milestone_far_ahead_or_done_is_left_alone():
    world, project = _in_progress(dt.date(2026, 7, 31))
    milestones_sweep()
    delivery.progress_report(
        project_id=project.pk,
        actor=world.users["unit"],
        text="提前完成",
        progress=50,
        milestone_id=project.milestones.get().pk,
    )
    milestones_sweep(today=dt.date(2026, 8, 31))
    assert not Notification.objects.filter(kind__startswith="project_milestone").exists()


@frozen(dt.date(2026, 6, 1))
def test_overdue_escalates_to_the_committee_then_the_one_above():
    world, _ = _in_progress(dt.date(2026, 6, 10))
    city = committee_user("430100000000")
    milestones_sweep(today=dt.date(2026, 6, 11))
    assert _told("project_milestone_overdue") == {
        world.users["unit"].username,
        world.users["committee"].username,
    }
    # Ten working days after the date (the Dragon Boat Festival 2026-06-19 is off).
    milestones_sweep(today=dt.date(2026, 6, 24))
    assert city.username not in _told("project_milestone_overdue")
    milestones_sweep(today=dt.date(2026, 6, 25))
    milestones_sweep(today=dt.date(2026, 6, 26))
    assert city.username in _told("project_milestone_overdue")
    assert Notification.objects.filter(user=city).count() == 1


@frozen(dt.date(2027, 2, 5))
def test_the_sweep_counts_working_days_in_2027():
    """The 2027 Spring Festival (provisional, 02-05 to 02-10) is not counted: five working
    days from 02-05 reach 02-17."""
    world, _ = _in_progress(dt.date(2027, 2, 17))
    milestones_sweep()
    assert _told("project_milestone_due") == {world.users["unit"].username}
