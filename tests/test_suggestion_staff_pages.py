"""The staff pages of representative suggestions over plain HTTP: filing, the lists of
each role, scope (404), only the moves the user may make now, errors next to the field,
back-to-back rating, merging, reports, the ledger and the excellent selection."""

import datetime as dt
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from liaison.wiring.staff.nav import sections_for
from suggestions.proposals import services
from suggestions.proposals.models import Rating, Suggestion, SuggestionRating
from suggestions.proposals.models import SuggestionStep as S
from tests.clock import frozen
from tests.factories import RepresentativeFactory
from tests.suggestion_world import filed, make_suggestion_world, suggestion_at

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def moves_offered(response) -> list[str]:
    return [transition.name for transition, _form in response.context["forms"]]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_navigation_shows_the_suggestion_sections_by_role():
    """Committee: inbox, figures, excellent; unit: its suggestions and figures;
    representative: their own, and nothing of the others'."""
    w = make_suggestion_world()
    urls = {
        role: {str(s["url"]) for s in sections_for(w.users[role])}
        for role in ("committee", "lead_unit", "receiver", "liaison")
    }
    assert {
        "/staff/suggestions/inbox/",
        "/staff/suggestions/reports/",
        "/staff/suggestions/excellent/",
    } <= urls["committee"]
    assert {"/staff/suggestions/unit/", "/staff/suggestions/reports/"} <= urls["lead_unit"]
    assert "/staff/suggestions/inbox/" not in urls["lead_unit"]
    assert urls["receiver"] & {u for u in urls["committee"] if "suggestions" in u} == set()
    assert "/staff/suggestions/mine/" in urls["receiver"]
    assert "/staff/suggestions/" in urls["liaison"]


def test_representative_files_a_joint_suggestion_with_a_co_signer_of_the_same_congress():
    """The form offers representatives of the filer's congress; the new suggestion has
    both signers and the filer is its lead."""
    w = make_suggestion_world()
    client = client_for(w.users["receiver"])
    form = client.get("/staff/suggestions/new/").context["form"]
    offered = set(form.fields["co_signers"].queryset)
    assert w.co_signer in offered and w.representative not in offered
    response = client.post(
        "/staff/suggestions/new/",
        {
            "title": "关于增设公交站点的建议",
            "content": "星沙街道东片区居民出行不便，建议增设公交站点。",
            "session": "recess",
            "category": w.category.pk,
            "co_signers": [w.co_signer.pk],
        },
    )
    suggestion = Suggestion.objects.get(title="关于增设公交站点的建议")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/suggestions/{suggestion.pk}/"
    assert suggestion.lead_representative == w.representative
    assert set(suggestion.signers.all()) == {w.representative, w.co_signer}
    assert suggestion.step == S.FILED and suggestion.deadline is not None


def test_filing_refuses_a_co_signer_of_another_congress_and_empty_fields_beside_the_field():
    w = make_suggestion_world()
    stranger = RepresentativeFactory(level="national", region__code="100000000000")
    client = client_for(w.users["receiver"])
    response = client.post(
        "/staff/suggestions/new/",
        {"title": " ", "content": "内容", "session": "recess", "co_signers": [stranger.pk]},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "title" in errors and "co_signers" in errors
    assert not Suggestion.objects.exists()


def test_only_representatives_file_on_the_staff_page():
    w = make_suggestion_world()
    assert client_for(w.users["lead_unit"]).get("/staff/suggestions/new/").status_code == 404
    assert client_for(w.users["committee"]).get("/staff/suggestions/mine/").status_code == 404


def test_a_representative_sees_only_the_suggestions_they_signed():
    """A co-signer sees the joint one; another representative sees neither and gets 404."""
    w = make_suggestion_world()
    joint = filed(w, joint=True)
    alone = filed(w, title="关于整治农贸市场周边交通的建议")
    co = client_for(w.users["co_signer"])
    listed = list(co.get("/staff/suggestions/mine/").context["listing"].page.object_list)
    assert listed == [joint]
    assert co.get(f"/staff/suggestions/{alone.pk}/").status_code == 404
    assert co.get(f"/staff/suggestions/{joint.pk}/").status_code == 200
    other = client_for(w.users["other_representative"])
    assert other.get(f"/staff/suggestions/{joint.pk}/").status_code == 404
    assert other.post(f"/staff/suggestions/{joint.pk}/move/rate/").status_code == 404
    assert list(other.get("/staff/suggestions/").context["listing"].page.object_list) == []


def test_another_region_or_unit_gets_404():
    """Another county's committee and a unit not on the suggestion cannot open it, nor move it."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.HANDLING)
    for role in ("other_committee", "other_unit", "other_liaison"):
        client = client_for(w.users[role])
        assert client.get(f"/staff/suggestions/{suggestion.pk}/").status_code == 404, role
        response = client.post(
            f"/staff/suggestions/{suggestion.pk}/move/reply/",
            {"reply-category": "A", "reply-text": "已解决"},
        )
        assert response.status_code == 404, role
    assert client_for(w.users["other_unit"]).get("/staff/suggestions/inbox/").status_code == 404
    unit_page = client_for(w.users["other_unit"]).get("/staff/suggestions/unit/")
    assert list(unit_page.context["listing"].page.object_list) == []
    assert Suggestion.objects.get(pk=suggestion.pk).step == S.HANDLING


def test_each_user_is_offered_only_the_moves_they_may_make_now():
    """Filed: the committee accepts, returns or merges; the unit and the signer nothing.
    Assigned: the lead unit starts, sends back, asks for more time; the co-unit gives its
    opinion once."""
    w = make_suggestion_world()
    fresh = suggestion_at(w, S.FILED)
    url = f"/staff/suggestions/{fresh.pk}/"
    assert moves_offered(client_for(w.users["committee"]).get(url)) == ["accept", "return", "merge"]
    assert moves_offered(client_for(w.users["receiver"]).get(url)) == []
    assigned = suggestion_at(w, S.ASSIGNED)
    url = f"/staff/suggestions/{assigned.pk}/"
    lead = moves_offered(client_for(w.users["lead_unit"]).get(url))
    assert lead == ["send_back", "start", "record_contact", "request_extension"]
    co = client_for(w.users["co_unit"])
    assert moves_offered(co.get(url)) == ["counit_opinion"]
    response = co.post(url + "move/counit_opinion/", {"counit_opinion-opinion": "同意牵头单位方案"})
    assert response.status_code == 302
    assert moves_offered(co.get(url)) == []
    assert "merge" in moves_offered(client_for(w.users["committee"]).get(url))


def test_a_service_refusal_lands_next_to_its_field_and_changes_nothing():
    """三定 with a reply date past the legal deadline: 400, the error on that field."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.ASSIGNED)
    late = suggestion.deadline + dt.timedelta(days=400)
    response = client_for(w.users["lead_unit"]).post(
        f"/staff/suggestions/{suggestion.pk}/move/start/",
        {
            "start-handler_name": "王科长",
            "start-plan": "实地调研",
            "start-planned_reply_date": late.isoformat(),
        },
    )
    assert response.status_code == 400
    bound = dict(response.context["forms"])
    assert any("planned_reply_date" in form.errors for form in bound.values())
    assert response.context["open_form"] == "start"
    assert Suggestion.objects.get(pk=suggestion.pk).step == S.ASSIGNED


def test_a_move_the_user_may_not_make_is_refused_with_a_message():
    """The lead unit posting a rating: nothing recorded, the refusal shown."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.REPLIED)
    client = client_for(w.users["lead_unit"])
    response = client.post(
        f"/staff/suggestions/{suggestion.pk}/move/rate/",
        {"rate-rating": "satisfied"},
        follow=True,
    )
    assert messages_of(response) and not SuggestionRating.objects.exists()
    assert client.post(f"/staff/suggestions/{suggestion.pk}/move/nonsense/").status_code == 404


def test_back_to_back_each_signer_rates_only_their_own_reply_once():
    """A joint suggestion: each signer rates theirs, then is offered nothing more; the
    committee may enter a missing signer's paper form."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.REPLIED, joint=True)
    url = f"/staff/suggestions/{suggestion.pk}/"
    lead = client_for(w.users["receiver"])
    (own,) = [form for t, form in lead.get(url).context["forms"] if t.name == "rate"]
    assert "representative" not in own.fields
    lead.post(url + "move/rate/", {"rate-rating": Rating.SATISFIED})
    assert "rate" not in moves_offered(lead.get(url))
    assert lead.get("/staff/suggestions/mine/").context["to_rate"] == []
    committee = client_for(w.users["committee"])
    (paper,) = [form for t, form in committee.get(url).context["forms"] if t.name == "rate"]
    assert list(paper.fields["representative"].queryset) == [w.co_signer]
    committee.post(
        url + "move/rate/",
        {"rate-rating": Rating.UNSATISFIED, "rate-representative": w.co_signer.pk},
    )
    suggestion.refresh_from_db()
    assert (suggestion.step, suggestion.satisfaction) == (S.RATED, Rating.UNSATISFIED)
    recorded = SuggestionRating.objects.get(representative=w.co_signer)
    assert recorded.recorded_by == w.users["committee"]


def test_the_unit_replies_to_each_signer_and_the_committee_merges_by_number():
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.HANDLING, joint=True)
    client = client_for(w.users["lead_unit"])
    response = client.post(
        f"/staff/suggestions/{suggestion.pk}/move/reply/",
        {
            "reply-category": "A",
            "reply-text": "已完成改造。",
            f"reply-to_{w.co_signer.pk}": "李四代表：您关心的路段已完成。",
        },
    )
    assert response.status_code == 302
    texts = dict(suggestion.replies.values_list("representative_id", "text"))
    assert texts == {
        w.representative.pk: "已完成改造。",
        w.co_signer.pk: "李四代表：您关心的路段已完成。",
    }
    target = suggestion_at(w, S.ACCEPTED)
    duplicate = suggestion_at(w, S.FILED)
    committee = client_for(w.users["committee"])
    wrong = committee.post(
        f"/staff/suggestions/{duplicate.pk}/move/merge/", {"merge-into": "1999-0001"}
    )
    assert wrong.status_code == 400
    committee.post(f"/staff/suggestions/{duplicate.pk}/move/merge/", {"merge-into": target.number})
    duplicate.refresh_from_db()
    assert (duplicate.step, duplicate.merged_into) == (S.MERGED, target)


def test_the_committee_inbox_holds_what_waits_for_the_committee():
    """Filed, accepted, rated and extension requests; not what the unit is handling."""
    w = make_suggestion_world()
    waiting = [suggestion_at(w, step) for step in (S.FILED, S.ACCEPTED, S.RATED)]
    handling = suggestion_at(w, S.HANDLING)
    extended = suggestion_at(w, S.HANDLING)
    services.suggestion_request_extension(
        suggestion_id=extended.pk, actor=w.users["lead_unit"], reason="涉及多个部门"
    )
    page = client_for(w.users["committee"]).get("/staff/suggestions/inbox/")
    listed = set(page.context["listing"].page.object_list)
    assert listed == {*waiting, extended} and handling not in listed
    other = client_for(w.users["other_committee"]).get("/staff/suggestions/inbox/")
    assert list(other.context["listing"].page.object_list) == []


def test_the_unit_page_shows_what_it_leads_and_what_it_co_handles():
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.ASSIGNED)
    lead = client_for(w.users["lead_unit"]).get("/staff/suggestions/unit/")
    co = client_for(w.users["co_unit"]).get("/staff/suggestions/unit/")
    assert list(lead.context["listing"].page.object_list) == [suggestion]
    assert list(co.context["listing"].page.object_list) == [suggestion]
    row = co.context["listing"].page.object_list[0].own_co_unit_rows[0]
    assert row.unit == w.co_unit and row.due.isoformat() in co.content.decode()


def test_reports_and_ledger_count_only_the_suggestions_in_scope():
    """The county committee's figures hold its suggestions; another county's are empty,
    and its ledger has a header row only."""
    w = make_suggestion_world()
    suggestion_at(w, S.RATED, rating=Rating.SATISFIED)
    suggestion_at(w, S.RATED, rating=Rating.UNSATISFIED)
    response = client_for(w.users["committee"]).get("/staff/suggestions/reports/")
    (unit_row,) = response.context["units"]
    assert (unit_row["total"], unit_row["rated"], unit_row["satisfied"]) == (2, 2, 1)
    assert str(unit_row["satisfaction_rate"]) == "50.0"
    other = client_for(w.users["other_committee"])
    assert other.get("/staff/suggestions/reports/").context["totals"]["total"] == 0
    own_ledger = client_for(w.users["committee"]).get("/staff/suggestions/ledger/?year=")
    sheet = load_workbook(BytesIO(own_ledger.content)).active
    assert sheet.max_row == 3
    other_ledger = other.get("/staff/suggestions/ledger/")
    assert load_workbook(BytesIO(other_ledger.content)).active.max_row == 1
    assert client_for(w.users["receiver"]).get("/staff/suggestions/reports/").status_code == 200


@frozen()
def test_the_committee_picks_the_years_excellent_suggestions():
    """Published suggestions of the congress are offered; the choice is saved; another
    county's committee cannot choose for this one."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.CLOSED)
    services.suggestion_publish(suggestion_id=suggestion.pk, actor=w.users["committee"])
    year = timezone.localdate().year
    url = f"/staff/suggestions/excellent/?region={suggestion.region_id}&year={year}"
    client = client_for(w.users["committee"])
    assert client.get(url).context["candidates"] == [suggestion]
    response = client.post(url, {"suggestions": [suggestion.pk]})
    assert response.status_code == 302
    assert Suggestion.objects.get(pk=suggestion.pk).excellent
    assert client_for(w.users["other_committee"]).get(url).status_code == 404
    assert client_for(w.users["lead_unit"]).get(url).status_code == 404
