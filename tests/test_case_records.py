import re

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from liaison.base.history import ImmutableEvent
from suggestions.cases import tracking
from suggestions.models import CaseEvent, Step
from tests.case_world import case_at, make_world

pytestmark = pytest.mark.django_db


def test_tracking_codes_are_grouped_and_free_of_look_alikes():
    """ABCD-EFGH-JK from an alphabet without 0/O/1/I/L, different every time."""
    codes = {tracking.new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert re.fullmatch(tracking.CODE_REGEX, code)
        assert not set(code) & set("01OIL")


def test_typed_tracking_codes_are_normalised():
    """What people type over the phone (lower case, spaces, full-width) finds the code."""
    assert tracking.normalize("abcd efgh jk") == "ABCD-EFGH-JK"
    assert tracking.normalize("ＡＢＣＤ－ＥＦＧＨ－ＪＫ") == "ABCD-EFGH-JK"
    assert tracking.normalize("ABCD-EFGH-J0") is None
    assert tracking.normalize("ABCD") is None


def test_a_case_gets_a_tracking_code_and_a_registration_deadline():
    """Receive stores the code and a deadline with its explanation."""
    case = case_at(make_world(), Step.RECEIVED)
    assert re.fullmatch(tracking.CODE_REGEX, case.tracking_code)
    assert case.deadline_explanation["rule"] == "registration"
    assert case.deadline_explanation["workdays"] == 2


def test_events_refuse_change_through_the_orm():
    """Saving an existing event, updating or deleting events raises."""
    case = case_at(make_world(), Step.REGISTERED)
    event = case.events.first()
    event.note = "rewritten"
    with pytest.raises(ImmutableEvent):
        event.save()
    with pytest.raises(ImmutableEvent):
        event.delete()
    with pytest.raises(ImmutableEvent):
        CaseEvent.objects.filter(case=case).update(note="rewritten")
    with pytest.raises(ImmutableEvent):
        CaseEvent.objects.filter(case=case).delete()
    assert not CaseEvent.objects.filter(note="rewritten").exists()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE suggestions_caseevent SET note = 'rewritten' WHERE case_id = %s",
        "DELETE FROM suggestions_caseevent WHERE case_id = %s",
    ],
)
def test_events_refuse_change_in_postgresql(postgres, statement):
    """Raw SQL cannot rewrite history either: the trigger refuses UPDATE and DELETE."""
    case = case_at(make_world(), Step.REGISTERED)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [case.pk])
    assert case.events.count() == 2
    assert not case.events.filter(note="rewritten").exists()
