"""Livelihood projects over REST: scoped, one POST per move with the same refusals as the
pages (400 field errors, 403 not this user, 404 out of scope, 409 wrong step), and the
vote's count, ballot and publication."""

import pytest
from rest_framework.test import APIClient

from projects.models import Project
from tests.project_world import candidate_list, make_world, open_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_moves_answer_with_the_refusals_of_the_table(world):
    project = candidate_list(world, 1)[0]
    committee = api(world.users["committee"])
    assert (
        api(world.users["other_committee"]).get(f"/api/v1/projects/{project.pk}/").status_code
        == 404
    )
    detail = committee.get(f"/api/v1/projects/{project.pk}/").json()
    assert detail["step"] == "shortlisted" and "leave_out" in detail["moves"]
    assert committee.post(f"/api/v1/projects/{project.pk}/shortlist/", {}).status_code == 409
    response = committee.post(f"/api/v1/projects/{project.pk}/leave-out/", {"reason": ""})
    assert response.status_code == 400 and "reason" in response.json()
    response = committee.post(f"/api/v1/projects/{project.pk}/leave-out/", {"reason": "已另行安排"})
    assert response.status_code == 200 and response.json()["step"] == "left_out"


def test_the_vote_over_rest(world):
    projects = candidate_list(world, 3)
    vote = open_vote(world, seats=2, members=100, present=90)
    committee = api(world.users["committee"])
    counts = {
        str(p.pk): {"votes_for": 80 - 20 * i, "against": 5, "abstain": 0, "invalid": 1}
        for i, p in enumerate(projects)
    }
    assert (
        api(world.users["unit"])
        .post(f"/api/v1/projects/votes/{vote.pk}/count/", {"counts": counts}, format="json")
        .status_code
        == 404
    )
    too_many = {**counts, str(projects[0].pk): {"votes_for": 90, "against": 5}}
    response = committee.post(
        f"/api/v1/projects/votes/{vote.pk}/count/", {"counts": too_many}, format="json"
    )
    assert response.status_code == 400
    response = committee.post(
        f"/api/v1/projects/votes/{vote.pk}/count/", {"counts": counts}, format="json"
    )
    assert response.status_code == 200
    result = committee.post(f"/api/v1/projects/votes/{vote.pk}/publish/", {}, format="json").json()
    assert [t["adopted"] for t in sorted(result["tallies"], key=lambda t: t["rank"])] == [
        True,
        True,
        False,
    ]
    assert (
        committee.post(f"/api/v1/projects/votes/{vote.pk}/publish/", {}, format="json").status_code
        == 409
    )
    assert Project.objects.filter(step="adopted").count() == 2


def test_an_electronic_ballot_over_rest_once(world):
    projects = candidate_list(world, 2)
    vote = open_vote(world, seats=1, kind="electronic", members=3, present=3)
    rep = api(world.reps[0].user)
    choices = {str(p.pk): "for" for p in projects}
    url = f"/api/v1/projects/votes/{vote.pk}/cast/"
    assert rep.post(url, {"choices": choices}, format="json").status_code == 200
    assert rep.post(url, {"choices": choices}, format="json").status_code == 409
    assert (
        api(world.users["outsider"]).post(url, {"choices": choices}, format="json").status_code
        == 404
    )
