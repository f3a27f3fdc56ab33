"""The case lists' page body in Jinja2, and what it costs less: the Jinja2 engine's
escape and translations are MarkupSafe's and Django's, and a list that asks no filter is
counted and read without its scoped queryset, the same count as the filtered road's."""

import re

import markupsafe
import pytest
from django.template import engines
from django.test import Client
from django.utils import translation
from django.utils.safestring import mark_safe

from liaison.base import jinja
from suggestions.cases import selectors
from suggestions.models import Step
from tests.case_world import case_at, make_world, received
from tests.clock import frozen


class _Html:
    def __html__(self):
        return "<b>safe</b>"


@pytest.mark.parametrize(
    "value",
    ["", "plain", "<a href=\"x\">&'</a>", "路灯 <不亮>", 42, 1.5, None, True,
     markupsafe.Markup("<i>m</i>"), mark_safe("<i>d</i>"), _Html(), ["<x>"]],
)  # fmt: skip
def test_the_engines_escape_is_markupsafes(value):
    fast = jinja.escape(value)
    assert fast == markupsafe.escape(value)
    # Text comes back as plain text, already escaped; anything else as MarkupSafe's Markup.
    assert type(fast) is (str if type(value) is str else markupsafe.Markup)


def test_what_a_template_outputs_is_escaped_once_wherever_it_goes():
    """A block ``set``, a macro, a ``call`` block and an include take what ``{{ … }}``
    output, escaped once, as HTML; nothing is escaped twice or left raw."""
    env = engines["jinja2"].env
    template = env.from_string(
        "{% set kept %}{{ v }}{% endset %}{{ kept }}|"
        "{% macro shown(x) %}<i>{{ x }}</i>{% endmacro %}{{ shown(v) }}|"
        "{% macro framed() %}[{{ caller() }}]{% endmacro %}{% call framed() %}{{ v }}{% endcall %}|"
        "{{ v ~ '&' }}|{{ kept ~ v }}|{{ safe }}"
    )
    rendered = template.render({"v": "<b>&", "safe": markupsafe.Markup("<hr>")})
    assert rendered == (
        "&lt;b&gt;&amp;|<i>&lt;b&gt;&amp;</i>|[&lt;b&gt;&amp;]|"
        "&lt;b&gt;&amp;&amp;|&lt;b&gt;&amp;&lt;b&gt;&amp;|<hr>"
    )


def test_templates_escape_with_it_and_translate_as_django_does():
    env = engines["jinja2"].env
    template = env.from_string('{{ v }}|{{ _("Filter") }}|{{ _("%(n)s%% done", n=v) }}')
    assert template.root_render_func.__globals__["escape"] is jinja.escape
    for language in ("zh-hans", "en"):
        with translation.override(language):
            rendered = template.render({"v": "<b>"})
            assert rendered == f"&lt;b&gt;|{translation.gettext('Filter')}|&lt;b&gt;% done"
            assert template.render({"v": "<b>"}) == rendered  # kept, the same


@pytest.mark.django_db
@frozen()
@pytest.mark.parametrize("role", ["committee", "liaison", "receiver", "admin", "other_unit"])
def test_a_list_that_asks_no_filter_builds_no_queryset_and_counts_the_same(role, monkeypatch):
    world = make_world()
    for step in (Step.HANDLING, Step.ARCHIVED, Step.FOLLOW_UP):
        case_at(world, step)
    received(world)
    client = Client(headers={"accept-language": "en"})
    client.force_login(world.users[role])

    def count(query: str) -> str:
        page = client.get(f"/staff/cases/?{query}").content.decode()
        return re.search(r'<span class="count">([^<]*)</span>', page).group(1)

    filtered = count("state=")  # the filterset's road: filters nothing
    opened = [count(""), count("page=2&sort=deadline")]  # their SQL built once
    built = selectors.case_list

    def refused(**kwargs):
        raise AssertionError("the scoped queryset was built")

    monkeypatch.setattr(selectors, "case_list", refused)
    assert [count(""), count("page=2&sort=deadline")] == opened == [filtered] * 2
    expected = built(user=world.users[role]).count()
    assert filtered == (f"{expected} row" if expected == 1 else f"{expected} rows")
