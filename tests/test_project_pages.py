"""Livelihood project pages: the public ones show no personal data, the topic form has
the opinion form's protections, staff pages keep to the user's scope and a constant
number of queries."""

import pytest

from projects.models import Project
from projects.services import delivery, screening, topics, votes
from tests.project_world import candidate_list, make_world, open_vote, paper_count
from tests.public_helpers import fresh_cache  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]

FORM = {
    "region": "430121000000",
    "category": "health",
    "title": "新建村卫生室",
    "description": "村里看病要走十公里。",
    "name": "王小五",
    "phone": "13912345678",
    "consent": "on",
}


@pytest.fixture
def world():
    return make_world()


def test_a_public_topic_is_received_and_published_only_once_screened(client, world):
    assert client.post("/projects/propose/", FORM).status_code == 200
    project = Project.objects.get()
    assert (project.source, project.contact_phone) == ("public", "13912345678")
    assert client.get(f"/projects/{project.pk}/").status_code == 404
    screening.project_shortlist(project_id=project.pk, actor=world.users["committee"])
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "新建村卫生室" in page
    assert "王小五" not in page and "13912345678" not in page and "5678" not in page


def test_the_topic_form_refuses_bots_bad_input_and_floods(client, world, settings):
    assert client.post("/projects/propose/", {**FORM, "website": "x"}).status_code == 400
    assert client.post("/projects/propose/", {**FORM, "phone": "12"}).status_code == 400
    assert client.post("/projects/propose/", {**FORM, "title": "<script>"}).status_code == 400
    assert not Project.objects.exists()
    settings.SUBMIT_LIMIT_PER_PHONE_DAY = 2
    codes = [client.post("/projects/propose/", FORM).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert Project.objects.count() == 2


def test_staff_see_only_their_scope(client, world):
    project = candidate_list(world, 1)[0]
    for name, status in (
        ("committee", 200),
        ("admin", 200),
        ("other_committee", 404),
        ("unit", 404),
        ("liaison", 404),
        ("outsider", 404),
    ):
        client.force_login(world.users[name])
        assert client.get(f"/staff/projects/{project.pk}/").status_code == status, name


def test_a_move_out_of_scope_is_not_found_and_a_refused_move_changes_nothing(client, world):
    project = topics.project_collect(
        actor=world.users["committee"],
        region=world.county,
        year=2026,
        title="修路",
        category="transport",
    )
    client.force_login(world.users["other_committee"])
    assert client.post(f"/staff/projects/{project.pk}/move/shortlist/").status_code == 404
    client.force_login(world.users["committee"])
    response = client.post(
        f"/staff/projects/{project.pk}/move/leave_out/", {"leave_out-reason": ""}
    )
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.step == "collected"
    response = client.post(f"/staff/projects/{project.pk}/move/shortlist/")
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.step == "shortlisted"


def test_the_unit_reports_and_the_supervisor_rates_from_their_pages(client, world):
    projects = candidate_list(world, 2)
    vote = open_vote(world, seats=1)
    paper_count(world, vote, {projects[0]: 80, projects[1]: 10})
    votes.vote_publish(vote_id=vote.pk, actor=world.users["committee"])
    project = projects[0]
    rep = world.reps[0]
    delivery.project_assign(
        project_id=project.pk, actor=world.users["committee"], unit=world.unit, supervisors=[rep]
    )
    client.force_login(world.users["unit"])
    page = client.get(f"/staff/projects/{project.pk}/").content.decode()
    assert 'id="move-report"' in page and 'id="move-rate"' not in page
    response = client.post(
        f"/staff/projects/{project.pk}/move/report/",
        {"report-text": "已开工", "report-progress": "20"},
    )
    assert response.status_code == 302
    client.force_login(rep.user)
    page = client.get(f"/staff/projects/{project.pk}/").content.decode()
    assert 'id="move-rate"' in page and 'id="move-report"' not in page
    client.post(
        f"/staff/projects/{project.pk}/move/rate/",
        {"rate-period": "mid_year", "rate-rating": "satisfied"},
    )
    assert project.ratings.get().rating == "satisfied"


def test_a_representative_casts_an_electronic_ballot_once_from_the_page(client, world):
    projects = candidate_list(world, 2)
    vote = open_vote(world, seats=1, kind="electronic", members=3, present=3)
    rep = world.reps[0]
    client.force_login(rep.user)
    page = client.get(f"/staff/projects/votes/{vote.pk}/").content.decode()
    assert "ballot-form" in page
    data = {f"c_{p.pk}": "for" for p in projects}
    assert client.post(f"/staff/projects/votes/{vote.pk}/cast/", data).status_code == 302
    assert "ballot-form" not in client.get(f"/staff/projects/votes/{vote.pk}/").content.decode()
    client.post(f"/staff/projects/votes/{vote.pk}/cast/", data)
    assert vote.ballots.count() == 1
    client.force_login(world.users["outsider"])
    assert client.get(f"/staff/projects/votes/{vote.pk}/").status_code == 404


def test_list_pages_take_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    candidate_list(world, 3)
    client.force_login(world.users["committee"])
    with django_assert_max_num_queries(12) as few:
        client.get("/staff/projects/")
    candidate_list(world, 30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/staff/projects/")
    with django_assert_max_num_queries(8):
        assert client.get("/projects/?year=2026").status_code == 200
