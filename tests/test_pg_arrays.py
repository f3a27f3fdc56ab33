"""The sweeps' lists reach PostgreSQL as array literals: every value comes back as it went."""

import datetime as dt

import pytest
from django.db import connection

from liaison.base.pg_arrays import array_literal

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
