"""The database keeps suggestion history and shape even against raw SQL, and the
lists and sweeps have their indexes."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError, IntegrityError

from suggestions.models import Suggestion
from suggestions.proposals.models import SuggestionStep as S
from tests.suggestion_world import filed, make_suggestion_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE suggestions_suggestionevent SET note = 'x' WHERE suggestion_id = %s",
        "DELETE FROM suggestions_suggestionevent WHERE suggestion_id = %s",
    ],
)
def test_events_refuse_change_in_postgresql(postgres, statement):
    """PostgreSQL itself refuses to update or delete suggestion events."""
    suggestion = filed(make_suggestion_world())
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [suggestion.pk])


def test_constraints_refuse_an_inconsistent_row():
    """A returned suggestion without a reason or a replied one without a category is
    refused by the database, whatever wrote it."""
    suggestion = filed(make_suggestion_world())
    for change in ({"step": S.RETURNED}, {"step": S.REPLIED}, {"key_leader": "mayor"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Suggestion.objects.filter(pk=suggestion.pk).update(**change)


def test_the_open_deadline_index_serves_the_sweep(postgres):
    """EXPLAIN of the sweep's overdue query uses the partial open-deadline index."""
    filed(make_suggestion_world())
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        queryset = (
            Suggestion.objects.exclude(step__in=[S.RETURNED, S.CLOSED, S.MERGED])
            .filter(deadline__lt="2030-01-01")
            .only("pk")
        )
        plan = queryset.explain()
        cursor.execute("SET enable_seqscan = on")
    assert "sugg_open_deadline_idx" in plan or "sugg_open_region_step_dl_idx" in plan
