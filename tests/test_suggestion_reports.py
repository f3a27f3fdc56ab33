"""Reports equal a hand count, and 浏阳's figures come out of data of their shape."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from suggestions.models import Suggestion, SuggestionSigner
from suggestions.proposals import reports, services
from suggestions.proposals.models import Rating, Session
from suggestions.proposals.models import SuggestionStep as S
from tests.clock import frozen
from tests.factories import HandlingUnitFactory
from tests.suggestion_world import make_suggestion_world, rate_all, suggestion_at

pytestmark = pytest.mark.django_db


@frozen()
def test_unit_report_equals_a_hand_count():
    """Built through the services:
    unit 1 leads 4 — closed 满意 (on time), closed 基本满意, re-handled (不满意 then 满意),
    and one still handling; unit 2 leads 2 — 不满意 and late, and one assigned.
    Hand count: unit 1: 4 led, 3 replied, 3 on time, 3 rated, 3 satisfied, 1 re-handled;
    unit 2: 2 led, 1 replied, 0 on time, 1 rated, 0 satisfied, 0 re-handled."""
    w = make_suggestion_world()
    unit_two = w.other_unit
    suggestion_at(w, S.CLOSED, rating=Rating.SATISFIED)
    suggestion_at(w, S.CLOSED, rating=Rating.BASIC)
    again = suggestion_at(w, S.REHANDLING)
    services.suggestion_reply(
        suggestion_id=again.pk, actor=w.users["lead_unit"], category="A", text="重办完成"
    )
    rate_all(w, again, Rating.SATISFIED)
    suggestion_at(w, S.HANDLING)
    late = suggestion_at(w, S.ACCEPTED)
    services.suggestion_assign(
        suggestion_id=late.pk, actor=w.users["committee"], lead_unit=unit_two
    )
    services.suggestion_start(
        suggestion_id=late.pk,
        actor=w.users["other_unit"],
        handler_name="赵",
        plan="办",
        planned_reply_date=timezone.localdate(),
    )
    Suggestion.objects.filter(pk=late.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    services.suggestion_reply(
        suggestion_id=late.pk, actor=w.users["other_unit"], category="C", text="无法"
    )
    rate_all(w, late, Rating.UNSATISFIED)
    waiting = suggestion_at(w, S.ACCEPTED)
    services.suggestion_assign(
        suggestion_id=waiting.pk, actor=w.users["committee"], lead_unit=unit_two
    )
    suggestion_at(w, S.FILED)  # not assigned: in no unit's row

    rows = {row["unit"]: row for row in reports.by_unit(Suggestion.objects.all())}
    keys = ["total", "replied", "on_time", "rated", "satisfied", "rehandled"]
    assert [rows[w.unit.pk][k] for k in keys] == [4, 3, 3, 3, 3, 1]
    assert [rows[unit_two.pk][k] for k in keys] == [2, 1, 0, 1, 0, 0]
    assert rows[w.unit.pk]["on_time_rate"] == Decimal("100.0")
    assert rows[w.unit.pk]["satisfaction_rate"] == Decimal("100.0")
    assert rows[unit_two.pk]["on_time_rate"] == Decimal("0.0")
    assert rows[unit_two.pk]["satisfaction_rate"] == Decimal("0.0")
    totals = reports.totals(Suggestion.objects.all())
    assert (totals["total"], totals["satisfaction_rate"]) == (7, Decimal("75.0"))
    by_year = reports.by_year_and_category(Suggestion.objects.all())
    assert [(r["year"], r["category_name"], r["total"]) for r in by_year] == [
        (timezone.localdate().year, w.category.name, 7)
    ]


def test_reports_are_one_query_each_whatever_the_size():
    """Aggregates in the database: one query for the units, one for years, one for totals."""
    w = make_suggestion_world()
    suggestion_at(w, S.CLOSED)
    with CaptureQueriesContext(connection) as queries:
        reports.by_unit(Suggestion.objects.all())
        reports.by_year_and_category(Suggestion.objects.all())
        reports.totals(Suggestion.objects.all())
    assert len(queries) == 3


@frozen()
def test_liuyang_970_suggestions_satisfaction_84_5_percent():
    """浏阳: 970 suggestions received during the session, all rated: 600 满意, 220
    基本满意 and 150 不满意 give (600 + 220) / 970 = 84.5%."""
    w = make_suggestion_world()
    units = [w.unit, *(HandlingUnitFactory() for _ in range(9))]
    ratings = [Rating.SATISFIED] * 600 + [Rating.BASIC] * 220 + [Rating.UNSATISFIED] * 150
    now = timezone.now()
    Suggestion.objects.bulk_create(
        [
            Suggestion(
                region_id=w.representative.region_id,
                year=2022,
                sequence=n + 1,
                number=f"2022-{n + 1:04d}",
                title=f"建议{n + 1}",
                content="内容",
                lead_representative=w.representative,
                session=Session.SESSION,
                category=w.category,
                step=S.CLOSED,
                lead_unit=units[n % len(units)],
                handler_name="经办人",
                plan="方案",
                reply_category="A",
                satisfaction=rating,
                replied_at=now,
                first_replied_at=now,
                replied_on_time=True,
                received_on=dt.date(2022, 1, 10),
                closed_at=now,
            )
            for n, rating in enumerate(ratings)
        ],
        batch_size=500,
    )
    SuggestionSigner.objects.bulk_create(
        [
            SuggestionSigner(suggestion_id=pk, representative=w.representative, is_lead=True)
            for pk in Suggestion.objects.values_list("pk", flat=True)
        ],
        batch_size=500,
    )
    year = Suggestion.objects.filter(year=2022)
    totals = reports.totals(year)
    assert (totals["total"], totals["rated"], totals["satisfied"]) == (970, 970, 820)
    assert totals["satisfaction_rate"] == Decimal("84.5")
    assert sum(row["total"] for row in reports.by_unit(year)) == 970
