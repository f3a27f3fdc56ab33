"""The sweeps' lists reach PostgreSQL as array literals: every value comes back as it went."""

import datetime as dt

import pytest
from django.db import connection

from liaison.base.pg_arrays import array_literal, format_template

pytestmark = pytest.mark.django_db

TEXTS = [
    'a "quoted" title',
    "back\\slash\\",
    "comma, {braces} and 'single'",
    "NULL",
    "",
    "  spaced  ",
    "案件 逾期\n第二行\t",
    None,
    '{"level": 1, "deadline": "2026-11-20"}',
]


def test_text_numbers_and_dates_come_back_unchanged(postgres):
    days = [dt.date(2026, 11, 20), None, dt.date(2027, 1, 4)]
    numbers = [1, None, 9_007_199_254_740_993, 0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::text[], %s::date[], %s::bigint[], %s::int[]",
            [array_literal(TEXTS), array_literal(days), array_literal(numbers), array_literal([])],
        )
        assert cursor.fetchone() == (TEXTS, days, numbers, [])


def test_a_template_formatted_by_the_database_reads_as_pythons(postgres):
    """The sweep's texts are formatted by PostgreSQL's format(): the same text as the
    template's ``%``, whatever the values hold, a literal %% and a name left unused."""
    template = "案件 %(code)s: 100%% %(title)s (%(level)s)"
    values = {"code": "AB23-CD45-EF", "title": "%s 路灯 %1$s %(code)s 50%", "level": 2}
    sql_template = format_template(template, "code", "unused", "title", "level")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT format(%s::text, %s::text, NULL, %s::text, %s)",
            [sql_template, values["code"], values["title"], values["level"]],
        )
        assert cursor.fetchone()[0] == template % values
