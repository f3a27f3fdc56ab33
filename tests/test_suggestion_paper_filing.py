"""Committee staff enter a suggestion a representative handed in on paper: they find the
representative by name among those of their regions, then file it under that name."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from suggestions.proposals.models import Suggestion, SuggestionEvent
from suggestions.proposals.models import SuggestionStep as S
from tests.case_world import OTHER_COUNTY
from tests.factories import RepresentativeFactory, region
from tests.suggestion_world import make_suggestion_world

pytestmark = pytest.mark.django_db

URL = "/staff/suggestions/new/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def paper(**extra) -> dict:
    return {
        "title": "关于改善村级道路照明的建议",
        "content": "多个村组夜间无照明，群众出行不便，建议分批安装太阳能路灯。",
        "session": "recess",
        **extra,
    }


def test_the_inbox_offers_paper_filing_and_the_search_finds_only_representatives_in_scope():
    w = make_suggestion_world()
    outsider = RepresentativeFactory(name="王外县", region=region(OTHER_COUNTY, "浏阳市"))
    client = client_for(w.users["committee"])
    inbox = client.get("/staff/suggestions/inbox/").content.decode()
    assert 'href="/staff/suggestions/new/"' in inbox and "录入纸质建议" in inbox

    page = client.get(URL)
    assert page.status_code == 200
    assert page.templates[0].name == "staff/proposals/file_choose.html"
    found = client.get(URL, {"name": w.representative.name[:1]}).context["found"]
    assert w.representative in found and outsider not in found
    nobody = client.get(URL, {"name": outsider.name}).content.decode()
    assert "王外县" in nobody and "没有" in nobody  # the name echoed in the "none" message
    assert client.get(URL, {"representative": outsider.pk}).status_code == 404
    assert client.get(URL, {"representative": "x1"}).status_code == 404


def test_committee_files_a_paper_suggestion_under_the_representatives_name():
    """The suggestion's lead is the representative; the history says who entered it."""
    w = make_suggestion_world()
    committee = w.users["committee"]
    client = client_for(committee)
    form_page = client.get(URL, {"representative": w.representative.pk})
    assert form_page.status_code == 200
    text = form_page.content.decode()
    assert w.representative.name in text and "纸质建议" in text
    co_signers = form_page.context["form"].fields["co_signers"]
    assert w.co_signer in co_signers.queryset
    assert w.representative.name in str(co_signers.help_text)

    response = client.post(
        f"{URL}?representative={w.representative.pk}", paper(co_signers=[w.co_signer.pk])
    )
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/suggestions/{suggestion.pk}/"
    assert suggestion.lead_representative == w.representative
    assert set(suggestion.signers.all()) == {w.representative, w.co_signer}
    assert suggestion.filed_by == committee and suggestion.step == S.FILED
    event = SuggestionEvent.objects.get(suggestion=suggestion, kind="file")
    assert event.actor == committee
    # The representative sees it among their own.
    mine = client_for(w.users["receiver"]).get("/staff/suggestions/mine/")
    assert suggestion in mine.context["listing"].page.object_list


def test_bad_paper_input_is_explained_and_files_nothing():
    w = make_suggestion_world()
    client = client_for(w.users["committee"])
    response = client.post(
        f"{URL}?representative={w.representative.pk}", paper(title="", session="later")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "title" in errors and "session" in errors
    assert not Suggestion.objects.exists()


def test_others_cannot_file_for_a_representative():
    """A unit has no filing page; a representative's ?representative= is ignored and they
    file as themselves; another county's committee gets 404."""
    w = make_suggestion_world()
    assert client_for(w.users["lead_unit"]).get(URL).status_code == 404
    assert (
        client_for(w.users["other_committee"])
        .get(URL, {"representative": w.representative.pk})
        .status_code
        == 404
    )
    own = client_for(w.users["co_signer"]).post(
        f"{URL}?representative={w.representative.pk}", paper()
    )
    assert own.status_code == 302
    assert Suggestion.objects.get().lead_representative == w.co_signer


@pytest.mark.parametrize("count", [1, 40])
def test_the_search_keeps_a_constant_number_of_queries(count):
    w = make_suggestion_world()
    RepresentativeFactory.create_batch(count, name="赵代表")
    client = client_for(w.users["committee"])
    client.get(URL, {"name": "赵"})  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"name": "赵"})
    assert len(response.context["found"]) == min(count, 30)
    assert response.context["more"] is (count > 30)
    assert len(queries) <= 5, [q["sql"] for q in queries]


def _turned_into_suggestion(w, capture=None):
    from suggestions.cases import services as case_services
    from suggestions.models import Step
    from tests.case_world import case_at

    case = case_at(w.world, Step.REGISTERED, authority="county")
    if capture is None:
        case_services.case_to_suggestion(case_id=case.pk, actor=w.users["committee"])
    else:
        with capture(execute=True):  # the notices are written after commit
            case_services.case_to_suggestion(case_id=case.pk, actor=w.users["committee"])
    return case


def test_the_receiving_representative_files_the_suggestion_from_the_case_page(
    django_capture_on_commit_callbacks,
):
    """The committee turns a case into a suggestion: the representative who received it is
    told, finds a filing link on the case page, files it prefilled from the case, and the
    case page then links the suggestion."""
    from liaison.base.notifications.models import Notification

    w = make_suggestion_world()
    case = _turned_into_suggestion(w, django_capture_on_commit_callbacks)
    told = Notification.objects.filter(
        subject_id=case.pk,
        kind="case_changed",
        recipient_key=f"representative:{w.representative.pk}",
    )
    assert told.exists() and "转为代表建议" in told.first().title
    client = client_for(w.users["receiver"])
    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert f'href="/staff/suggestions/new/?case={case.pk}"' in page

    form = client.get(URL, {"case": case.pk}).context["form"]
    assert (form["title"].value(), form["content"].value()) == (case.title, case.description)
    response = client.post(f"{URL}?case={case.pk}", paper(title=case.title))
    suggestion = Suggestion.objects.get()
    assert response["Location"] == f"/staff/suggestions/{suggestion.pk}/"
    assert (suggestion.source_case, suggestion.lead_representative) == (case, w.representative)

    page = client.get(f"/staff/cases/{case.pk}/").content.decode()
    assert f'href="/staff/suggestions/{suggestion.pk}/"' in page and "?case=" not in page
    assert client.get(URL, {"case": case.pk}).status_code == 404  # it has its suggestion


def test_committee_files_from_a_case_choosing_among_those_who_received_it():
    w = make_suggestion_world()
    case = _turned_into_suggestion(w)
    client = client_for(w.users["committee"])
    choose = client.get(URL, {"case": case.pk})
    assert list(choose.context["found"]) == [w.representative]
    assert f"?case={case.pk}&amp;representative={w.representative.pk}" in choose.content.decode()
    response = client.post(f"{URL}?case={case.pk}&representative={w.representative.pk}", paper())
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert suggestion.source_case == case and suggestion.lead_representative == w.representative


def test_only_a_case_turned_into_a_suggestion_in_scope_can_be_a_source():
    from suggestions.models import Step
    from tests.case_world import case_at

    w = make_suggestion_world()
    handling = case_at(w.world, Step.HANDLING)
    committee = client_for(w.users["committee"])
    assert committee.get(URL, {"case": handling.pk}).status_code == 404
    assert (
        f"?case={handling.pk}" not in committee.get(f"/staff/cases/{handling.pk}/").content.decode()
    )
    case = _turned_into_suggestion(w)
    assert client_for(w.users["other_committee"]).get(URL, {"case": case.pk}).status_code == 404
    assert (
        client_for(w.users["other_representative"]).get(URL, {"case": case.pk}).status_code == 404
    )
    assert committee.get(URL, {"case": "1x"}).status_code == 404
