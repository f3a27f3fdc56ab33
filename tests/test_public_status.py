"""The status lookup: a tracking code plus the last 4 digits of the phone show the steps,
the unit and the published summary; a wrong check says nothing about whether the code
exists, and wrong guesses are rate limited."""

import re

import pytest
from django.test import override_settings
from django.utils import translation

from suggestions.cases import public, services
from suggestions.cases.online import case_status_lookup
from suggestions.cases.public_forms import StatusForm
from suggestions.models import Step
from tests.case_world import case_at, make_world
from tests.public_helpers import fresh_cache  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def look_up(client, code, check="5678", **extra):
    return client.post("/cases/status/", {"code": code, "check": check}, **extra)


def test_code_and_check_show_steps_unit_and_result_but_no_personal_data(client):
    world = make_world()
    case = case_at(world, Step.REPLIED)
    response = look_up(client, case.tracking_code.lower().replace("-", " "))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="case-status"' in page
    assert world.unit.name in page
    assert "已答复" in page or "回复" in page
    for private in ("张三", "13812345678", "电话告知群众"):
        assert private not in page


def test_full_width_check_is_accepted(client):
    case = case_at(make_world(), Step.REGISTERED)
    assert look_up(client, case.tracking_code, check="５６７８").status_code == 200


def test_published_summary_shows_once_archived_and_published(client):
    world = make_world()
    case = case_at(world, Step.FEEDBACK)
    assert "已修复三盏路灯" not in look_up(client, case.tracking_code).content.decode()
    services.case_archive(
        case_id=case.pk,
        actor=world.users["committee"],
        public_summary="已修复三盏路灯",
        published=True,
    )
    assert "已修复三盏路灯" in look_up(client, case.tracking_code).content.decode()


def test_a_wrong_check_and_an_unknown_code_get_the_same_answer(client):
    case = case_at(make_world(), Step.RECEIVED)
    wrong = look_up(client, case.tracking_code, check="0000")
    unknown = look_up(client, "2345-6789-AB", check="5678")
    assert wrong.status_code == unknown.status_code == 404
    assert without_form_echo(wrong) == without_form_echo(unknown)


def without_form_echo(response) -> str:
    """The page less what differs by construction: the CSRF token and the code typed."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return re.sub(r'name="code" value="[^"]*"', "", page)


def test_lookup_compares_in_constant_time_even_for_unknown_codes(monkeypatch):
    """Both a known and an unknown code go through one compare_digest call."""
    import hmac

    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    case = case_at(make_world(), Step.RECEIVED)
    assert case_status_lookup(code=case.tracking_code, check="5678").case == case
    assert case_status_lookup(code="2345-6789-AB", check="5678").case is None
    assert len(calls) == 2


@override_settings(STATUS_WRONG_CHECKS_PER_CODE_HOUR=3)
def test_wrong_checks_on_one_code_lock_it_even_for_the_right_check(client):
    case = case_at(make_world(), Step.RECEIVED)
    for guess in ("0001", "0002", "0003"):
        assert look_up(client, case.tracking_code, check=guess).status_code == 404
    locked = look_up(client, case.tracking_code, check="5678")
    assert locked.status_code == 429
    assert "请稍后再试" in locked.content.decode()


@override_settings(STATUS_WRONG_CHECKS_PER_CODE_HOUR=3)
def test_unknown_codes_lock_the_same_way_so_locking_reveals_nothing(client):
    for guess in ("0001", "0002", "0003"):
        look_up(client, "2345-6789-AB", check=guess)
    assert look_up(client, "2345-6789-AB", check="5678").status_code == 429


@override_settings(STATUS_LIMIT_PER_IP_10MIN=5)
def test_one_address_is_limited_across_codes(client):
    for n in range(5):
        look_up(client, f"2345-6789-{'ABCDE'[n]}B")
    response = look_up(client, "2345-6789-ZZ")
    assert response.status_code == 429
    # Another address is not affected.
    other = look_up(client, "2345-6789-ZZ", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 404


@override_settings(STATUS_LIMIT_PER_IP_10MIN=2, CLIENT_IP_HEADER="HTTP_X_REAL_IP")
def test_behind_a_proxy_the_configured_header_names_the_client(client):
    for _ in range(2):
        look_up(client, "2345-6789-AB", HTTP_X_REAL_IP="203.0.113.5")
    assert look_up(client, "2345-6789-AB", HTTP_X_REAL_IP="203.0.113.5").status_code == 429
    assert look_up(client, "2345-6789-AB", HTTP_X_REAL_IP="203.0.113.6").status_code == 404


def test_get_shows_the_form_and_other_methods_are_refused(client):
    assert client.get("/cases/status/").status_code == 200
    assert client.put("/cases/status/").status_code == 405


@pytest.mark.parametrize("step", [Step.RECEIVED, Step.REPLIED, Step.ARCHIVED])
def test_the_compiled_lookup_reads_what_the_orm_reads(step):
    """On PostgreSQL the row by code comes through ``CompiledQuery``: the same fields,
    relations, rating, steps and check digits as the queryset it was compiled from, and
    nothing left to read afterwards."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from suggestions.cases import selectors

    case = case_at(make_world(), step)
    if step == Step.REPLIED:
        services.case_rate(case_id=case.pk, satisfaction="basic", comment="")

    def seen(found):
        with CaptureQueriesContext(connection) as queries:
            found = selectors.with_public_steps(found)
            shown = {
                name: getattr(found, name)
                for name in (*selectors._OWN, "own_rating", "check_digits")
            }
            related = (found.station, found.category, found.lead_unit)
            shown["related"] = [(r.pk, r.name) if r else None for r in related]
            shown["steps"] = [(e.kind, e.to_step, e.at) for e in found.public_events]
        return shown, len(queries) - (0 if connection.vendor == "postgresql" else 1)

    compiled = seen(selectors.public_case_by_code(case.tracking_code))
    orm = seen(next(iter(selectors._by_code(case.tracking_code))))
    assert compiled == orm and compiled[1] == 0
    assert compiled[0]["check_digits"] == "5678" and compiled[0]["steps"]
    assert compiled[0]["own_rating"] == ("basic" if step == Step.REPLIED else None)
    assert selectors.public_case_by_code("2345-6789-AB") is None


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("code", ["ABCD-EFGH-JK", ""])
def test_the_blank_lookup_form_filled_in_is_the_form_rendered_afresh(language, code):
    """The blank form and the links below it come from a shell rendered once per language
    (suggestions/cases/public.py): the same HTML as rendering them for this request."""
    with translation.override(language):
        key = (*public._place(), bool(code))
        filled = public._blank_lookups.get(key).fill({"csrf_token": "t0ken", "code": code})
        context = {"form": StatusForm(initial={"code": code}), "csrf_token": "t0ken"}
        assert filled == public._render("public/status_lookup.html", context)
    assert ('value="ABCD-EFGH-JK"' in filled) == bool(code)
