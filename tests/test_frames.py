"""The frames around the pages (liaison/wiring/frames.py): rendered once per language and
set of roles, each request's values put in escaped; what they show is each user's own."""

import re

import pytest
from django.test import Client

from liaison.base.shells import Shell, marker
from tests.case_world import make_world

pytestmark = pytest.mark.django_db


def _client(user, language="zh-hans") -> Client:
    client = Client(headers={"accept-language": language})
    client.force_login(user)
    return client


def test_a_shell_escapes_the_values_it_is_filled_with_but_not_html():
    shell = Shell(f"<a title='{marker('who')}'>{marker('token')}</a>")
    filled = shell.fill({"who": '"><script>x</script>', "token": Shell("<b>").fill({})})
    assert filled == "<a title='&quot;&gt;&lt;script&gt;x&lt;/script&gt;'><b></a>"


def test_the_header_shows_each_users_name_sections_and_token():
    world = make_world()
    committee, unit = world.users["committee"], world.users["lead_unit"]
    committee.first_name, committee.last_name = "<i>", "委员"
    committee.save()
    first = _client(committee).get("/staff/cases/").content.decode()
    second = _client(unit).get("/staff/cases/").content.decode()
    assert "&lt;i&gt;" in first and "<i>" not in first.split("<main")[0]
    assert (unit.get_full_name() or unit.username) in second
    # The unit's staff do not get the committee's sections, and the reverse.
    nav = [
        re.findall(r'<nav class="staff-nav".*?</nav>', page, re.S)[0] for page in (first, second)
    ]
    assert nav[0] != nav[1]
    # The CSRF token of the request in all three places it is needed, the same one.
    tokens = re.findall(r'csrfmiddlewaretoken" value="(\w+)"', first.split("<main")[0])
    header = re.search(r'"X-CSRFToken": "(\w+)"', first).group(1)
    assert len(tokens) == 2 and set(tokens) == {header}


def test_the_current_section_is_marked_and_only_it():
    world = make_world()
    page = _client(world.users["committee"]).get("/staff/cases/").content.decode()
    current = re.findall(r'<a href="([^"]+)" aria-current="page"', page)
    assert current == ["/staff/cases/"]
    page = _client(world.users["committee"]).get("/staff/").content.decode()
    assert re.findall(r'<a href="([^"]+)" aria-current="page"', page) == ["/staff/"]


def test_the_search_box_keeps_the_query_escaped_and_the_language_switch_the_path():
    world = make_world()
    page = _client(world.users["committee"]).get('/staff/search/?q="><b>x').content.decode()
    assert 'value="&quot;&gt;&lt;b&gt;x"' in page
    assert 'name="next" type="hidden" value="/staff/search/?q=%22%3E%3Cb%3Ex"' in page


def test_the_frame_speaks_the_requests_language():
    world = make_world()
    chinese = _client(world.users["committee"]).get("/staff/cases/").content.decode()
    english = _client(world.users["committee"], "en").get("/staff/cases/").content.decode()
    assert '<html lang="zh-hans">' in chinese and "退出" in chinese
    assert '<html lang="en">' in english and "Log out" in english


def test_the_public_frame_carries_no_token_and_keeps_the_path():
    page = Client().get("/cases/status/?x=1").content.decode()
    assert "csrfmiddlewaretoken" not in page.split("<main")[0]
    assert 'name="next" type="hidden" value="/cases/status/?x=1"' in page
