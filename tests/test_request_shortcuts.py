"""What a staff request reads and computes once instead of every time gives what the
long way gives: choice labels, links, kept move forms, session data, the case lists'
categories and the page's CSRF token."""

import re

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore as DjangosStore
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from liaison.base import auth
from liaison.base.auth import UserBackend
from liaison.base.links import reversed_fast
from liaison.base.sessions import SessionStore
from suggestions.cases import selectors
from suggestions.cases.staff.forms import PAGES
from suggestions.models import Case, CaseCategory, Step
from suggestions.shared.models import HandlingUnit, UnitStaff
from tests.case_world import case_at, make_world
from tests.clock import frozen

pytestmark = [pytest.mark.django_db, frozen()]


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "zh-hans"})
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_choice_label_is_djangos(language):
    """Each field with fixed choices, on every model, for every value and for one that is
    not among them: the label Django's own ``get_FOO_display`` gives."""
    checked = 0
    with translation.override(language):
        for model in apps.get_models(include_auto_created=True):
            for field in model._meta.fields:
                if not field.choices:
                    continue
                display = getattr(model, f"get_{field.name}_display")
                for value in [*(value for value, _ in field.flatchoices), "no such value"]:
                    row = model()
                    setattr(row, field.attname, value)
                    assert display(row) == Model._get_FIELD_display(row, field)
                    checked += 1
    assert checked > 100


def test_a_choice_label_follows_the_language():
    case = Case(step=Step.REGISTERED)
    with translation.override("zh-hans"):
        assert case.get_step_display() == "登记"
    with translation.override("en"):
        assert case.get_step_display() == "Registered (登记)"


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("staff:case-list", ()),
        ("staff:case-detail", (12,)),
        ("staff:case-move", (5, "assign")),
        ("staff:case-move", (5, "send_back")),
        ("staff:attachment-upload", ("case", 7)),
        ("staff:attachment-file", (3,)),
    ],
)
def test_a_fast_link_is_the_reversed_one(name, args):
    assert reversed_fast(name, *args) == reverse(name, args=args or None)


@override_settings(FORCE_SCRIPT_NAME="/liaison/")
def test_a_fast_link_keeps_the_script_prefix():
    from django.urls import set_script_prefix

    set_script_prefix("/liaison/")
    try:
        assert reversed_fast("staff:case-detail", 12) == "/liaison/staff/cases/12/"
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize(
    "args",
    [("x",), (-1,), (True,), ("a/b",)],
    ids=["a name where an id goes", "a negative id", "a boolean", "a slash"],
)
def test_a_link_reverse_refuses_is_refused_the_same(args):
    with pytest.raises(NoReverseMatch):
        reverse("staff:case-detail", args=args)
    with pytest.raises(NoReverseMatch):
        reversed_fast("staff:case-detail", *args)


def test_arguments_that_need_quoting_go_through_reverse():
    assert reversed_fast("staff:case-move", 5, "Send-Back") == reverse(
        "staff:case-move", args=(5, "Send-Back")
    )


def test_a_kept_move_form_is_the_same_form_built_twice_and_follows_the_language():
    world = make_world()
    user, case = world.users["committee"], case_at(world, Step.HANDLING)
    kept = {}
    for language in ("zh-hans", "en", "zh-hans"):
        with translation.override(language):
            first = PAGES.form("reply", user=user, row=case)
            second = PAGES.form("reply", user=user, row=case)
            assert first.html_key() == second.html_key()
            html = first.as_div()
            assert second.as_div() == html
            assert kept.setdefault(language, html) == html
    assert kept["zh-hans"] != kept["en"]
    assert "Result:" in kept["en"]


def test_session_data_decoded_once_is_each_requests_own():
    store = SessionStore()
    text = store.encode({"user": "7", "seen": 1, "list": [1, 2]})
    first = store.decode(text)
    first["user"] = "8"
    first["list"].append(3)
    assert store.decode(text) == {"user": "7", "seen": 1, "list": [1, 2]}
    assert store.decode(text) == DjangosStore().decode(text)


def test_session_data_signed_with_another_key_is_not_read():
    store = SessionStore()
    text = store.encode({"user": "7"})
    assert store.decode(text) == {"user": "7"}
    with override_settings(SECRET_KEY="another key, another signature " * 2):
        assert store.decode(text) == {}


def test_a_new_category_is_in_the_case_lists_filter_at_once():
    world = make_world()
    client = client_for(world.users["committee"])
    assert "新的类别" not in client.get("/staff/cases/").content.decode()
    CaseCategory.objects.create(code="brand-new", name="新的类别", active=True)
    assert "新的类别" in client.get("/staff/cases/").content.decode()
    filtered = client.get("/staff/cases/", {"state": "open"}).content.decode()
    assert "新的类别" in filtered
    CaseCategory.objects.filter(code="brand-new").update(active=False)
    assert "新的类别" not in client.get("/staff/cases/").content.decode()
    assert "新的类别" not in client.get("/staff/cases/", {"state": "open"}).content.decode()


def test_the_categories_come_with_the_user(postgres, django_assert_num_queries):
    world = make_world()
    client = client_for(world.users["committee"])
    client.get("/staff/cases/")
    # The session with its user (their roles, unread count and the categories), the rows.
    with django_assert_num_queries(2):
        assert client.get("/staff/cases/").status_code == 200


def test_a_case_page_masks_one_csrf_token_for_all_its_forms():
    world = make_world()
    client = client_for(world.users["committee"])
    case = case_at(world, Step.HANDLING)
    html = client.get(f"/staff/cases/{case.pk}/").content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(re.findall(r'name="csrfmiddlewaretoken"', html)) > 3
    assert len(tokens) == 1


def test_the_unit_pages_heading_comes_with_the_user(postgres, django_assert_num_queries):
    """The names of the user's units, read with the user, are the ones their scope finds,
    in the units' order; the unit page is then the session with its user and its rows."""
    world = make_world()
    user = world.users["lead_unit"]
    UnitStaff.objects.create(user=user, unit=world.other_unit)
    read = UserBackend().get_user(user.pk)
    assert auth.read_with(read, "unit_names") is not auth.NOT_READ
    expected = list(
        HandlingUnit.objects.filter(pk__in=[world.unit.pk, world.other_unit.pk]).values_list(
            "name", flat=True
        )
    )
    assert (
        selectors.unit_names(read)
        == expected
        == selectors.unit_names(type(user).objects.get(pk=user.pk))
    )
    assert len(expected) == 2
    nobody = UserBackend().get_user(world.users["committee"].pk)
    assert selectors.unit_names(nobody) == []
    client = client_for(user)
    page = client.get("/staff/unit/").content.decode()
    assert all(name in page for name in expected)
    with django_assert_num_queries(2):
        assert client.get("/staff/unit/").status_code == 200


def test_csrf_strings_are_djangos_kind_and_a_form_posts_with_one():
    from collections import Counter

    from django.middleware import csrf as django_csrf

    from liaison.base.csrf import new_csrf_string

    assert django_csrf._get_new_csrf_string is new_csrf_string
    drawn = [new_csrf_string() for _ in range(2000)]
    assert len(set(drawn)) == len(drawn)
    assert all(len(s) == 32 and set(s) <= set(django_csrf.CSRF_ALLOWED_CHARS) for s in drawn)
    # Every character about as often as any other (64,000 draws, 62 characters).
    counts = Counter("".join(drawn))
    assert len(counts) == 62 and max(counts.values()) < 1.3 * min(counts.values())
    world = make_world()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["committee"])
    page = client.get("/staff/cases/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert len(token) == 64  # a mask and the masked secret
    assert client.post("/staff/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    client.force_login(world.users["committee"])
    forged = client.post("/staff/logout/", {"csrfmiddlewaretoken": "x" * 64})
    assert forged.status_code == 403


def test_a_case_pages_statements_are_converted_once(postgres, monkeypatch):
    """psycopg converts a statement's placeholders once and keeps it; the case page's
    long statement (over psycopg's own 4,096 characters) is kept as the short ones are."""
    import psycopg._queries as queries

    world = make_world()
    client = client_for(world.users["committee"])
    case = case_at(world, Step.HANDLING)
    client.get(f"/staff/cases/{case.pk}/")
    converted: list[int] = []
    unkept = queries._query2pg_nocache

    def spy(query, *args, **kwargs):
        converted.append(len(query))
        return unkept(query, *args, **kwargs)

    monkeypatch.setattr(queries, "_query2pg_nocache", spy)
    with CaptureQueriesContext(connection) as ran:
        assert client.get(f"/staff/cases/{case.pk}/").status_code == 200
    assert max(len(query["sql"]) for query in ran.captured_queries) > 4096
    assert converted == []


def test_the_pages_rendered_by_jinja2_survive_new_template_engines(settings):
    """Django makes its template engines again when DEBUG or TEMPLATES change (a test's
    settings): the Jinja2 pages' globals from the layers above are in the new ones too."""
    world = make_world()
    client = client_for(world.users["committee"])
    case = case_at(world, Step.HANDLING)
    settings.DEBUG = True
    for path in (f"/staff/cases/{case.pk}/", "/staff/cases/"):
        assert client.get(path).status_code == 200
