"""The vote's count: quorum, the pass rule, invalid ballots, ties on the last seat."""

import pytest
from django.core.exceptions import ValidationError

from projects.counting import Count, count, quorum


def test_quorum_is_more_than_two_thirds():
    assert quorum(90) == 61
    assert quorum(100) == 67


def test_a_session_without_quorum_is_not_counted():
    with pytest.raises(ValidationError, match="61"):
        count(members=90, present=60, rule="all", seats=1, counts=[Count(1, 60)])


def test_more_than_half_of_all_representatives_passes():
    result = count(
        members=100, present=80, rule="all", seats=5, counts=[Count(1, 51), Count(2, 50)]
    )
    assert result.passed == {1}
    assert result.adopted == {1}
    assert result.threshold == 51


def test_half_of_those_present_is_enough_under_the_present_rule():
    result = count(
        members=100, present=80, rule="present", seats=5, counts=[Count(1, 41), Count(2, 40)]
    )
    assert result.passed == {1}


def test_invalid_ballots_count_for_nobody():
    result = count(
        members=100,
        present=100,
        rule="all",
        seats=1,
        counts=[Count(1, 50, invalid=50), Count(2, 49, against=51)],
    )
    assert result.passed == set()
    assert result.adopted == set()


def test_more_ballots_than_present_is_refused():
    with pytest.raises(ValidationError):
        count(members=100, present=80, rule="all", seats=1, counts=[Count(1, 60, against=21)])


def test_the_number_of_projects_takes_the_most_votes_for():
    counts = [Count(1, 70), Count(2, 90), Count(3, 80), Count(4, 60)]
    result = count(members=100, present=95, rule="all", seats=2, counts=counts)
    assert result.passed == {1, 2, 3, 4}
    assert result.adopted == {2, 3}
    assert result.rank == {2: 1, 3: 2, 1: 3, 4: 4}


def test_a_tie_on_the_last_seat_adopts_neither():
    counts = [Count(1, 90), Count(2, 70), Count(3, 70), Count(4, 30)]
    result = count(members=100, present=95, rule="all", seats=2, counts=counts)
    assert result.adopted == {1}
    assert result.tied == {2, 3}


def test_a_tie_within_the_seats_adopts_both():
    counts = [Count(1, 70), Count(2, 70), Count(3, 60)]
    result = count(members=100, present=95, rule="all", seats=2, counts=counts)
    assert result.adopted == {1, 2}
    assert result.tied == set()
