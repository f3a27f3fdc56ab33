import pytest

from suggestions.models import Suggestion
from suggestions.proposals import services
from suggestions.proposals.models import SuggestionStep as S
from tests.suggestion_world import make_suggestion_world, suggestion_at
from tests.test_case_concurrency import _race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("attempt", range(3))
def test_two_rates_at_once_both_count_and_the_step_moves_once(postgres, attempt):
    """Both signers of a joint suggestion rate at the same moment on PostgreSQL: the row
    lock orders them, both ratings are kept and the suggestion is rated exactly once."""
    w = make_suggestion_world()
    suggestion = suggestion_at(w, S.REPLIED, joint=True)

    def rate(user, rating):
        return lambda: services.suggestion_rate(
            suggestion_id=suggestion.pk, actor=w.users[user], rating=rating
        )

    outcomes = _race(rate("receiver", "satisfied"), rate("co_signer", "unsatisfied"))
    assert all(isinstance(o, Suggestion) for o in outcomes), outcomes
    suggestion.refresh_from_db()
    assert (suggestion.step, suggestion.satisfaction) == (S.RATED, "unsatisfied")
    assert suggestion.events.filter(kind="rate", to_step=S.RATED).count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_two_filings_at_once_get_different_numbers(postgres, attempt):
    """Two representatives file at the same moment: both are numbered, never the same."""
    w = make_suggestion_world()

    def file(user, rep):
        return lambda: services.suggestion_file(
            actor=w.users[user],
            lead_representative=rep,
            title="建议",
            content="内容",
            session="recess",
        )

    outcomes = _race(file("receiver", w.representative), file("co_signer", w.co_signer))
    assert all(isinstance(o, Suggestion) for o in outcomes), outcomes
    assert len({o.number for o in outcomes}) == 2
