"""The public figures of a county shaped like 辰溪 (seed 004): 23 townships collected 156
livelihood topics and their congresses voted 110 of them into projects."""

import pytest

from liaison.wiring.demo.projects import CHENXI_PLAN, seed_votes
from projects.models import Project, Step
from tests.factories import committee_user, region

pytestmark = pytest.mark.django_db

CHENXI = "431223000000"


def test_chenxi_gives_156_topics_and_110_projects_on_the_public_figures(
    client, django_assert_max_num_queries
):
    region(CHENXI, "辰溪县")
    townships = [
        region(f"4312231{i:02d}000", f"辰溪第{i}乡镇") for i in range(1, len(CHENXI_PLAN) + 1)
    ]
    seed_votes(actor=committee_user(CHENXI), townships=townships, plan=CHENXI_PLAN, year=2026)
    assert Project.objects.count() == 156
    assert Project.objects.filter(step=Step.ADOPTED).count() == 110
    with django_assert_max_num_queries(10):
        page = client.get(f"/projects/?year=2026&region={CHENXI}")
    text = page.content.decode()
    assert "征集议题156个" in text
    assert "票决产生项目110个" in text
    # The whole province's page counts them too; another county's does not.
    assert "征集议题156个" in client.get("/projects/?year=2026").content.decode()
    region("430121000000")
    other = client.get("/projects/?year=2026&region=430121000000").content.decode()
    assert "征集议题0个" in other
