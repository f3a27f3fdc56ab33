import threading

import pytest
from django.db import close_old_connections, connection

from suggestions.cases import services
from suggestions.models import Case, Step
from tests.case_world import case_at, make_world

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*moves):
    """Run the moves at once, each in its own thread and database connection."""
    barrier = threading.Barrier(len(moves))
    outcomes = [None] * len(moves)

    def run(index, move):
        try:
            barrier.wait()
            outcomes[index] = move()
        except Exception as error:
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, m)) for i, m in enumerate(moves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    return outcomes


@pytest.mark.parametrize("attempt", range(5))
def test_two_staff_registering_at_once_exactly_one_wins(postgres, attempt):
    """Two staff act on one case at the same moment on PostgreSQL: one moves it, the
    other gets a Conflict, and the history has a single registration."""
    world = make_world()
    case = case_at(world, Step.RECEIVED)

    def register(user):
        return lambda: services.case_register(
            case_id=case.pk, actor=user, category=world.category, authority="township"
        )

    outcomes = _race(register(world.users["liaison"]), register(world.users["committee"]))
    winners = [o for o in outcomes if isinstance(o, Case)]
    losers = [o for o in outcomes if isinstance(o, services.Conflict)]
    assert len(winners) == 1 and len(losers) == 1, outcomes
    case.refresh_from_db()
    assert case.step == Step.REGISTERED
    assert case.events.filter(kind="register").count() == 1


def test_a_move_on_a_locked_case_times_out_as_a_conflict(postgres):
    """While another transaction holds the case, a move waits, then reports a Conflict
    rather than hanging the request."""
    world = make_world()
    case = case_at(world, Step.RECEIVED)
    holding, release = threading.Event(), threading.Event()

    def hold():
        from django.db import transaction

        with transaction.atomic():
            Case.objects.select_for_update().get(pk=case.pk)
            holding.set()
            release.wait(10)
        connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(5)
    try:
        with pytest.raises(services.Conflict):
            services.case_withdraw(case_id=case.pk, actor=world.users["liaison"], reason="撤回")
    finally:
        release.set()
        holder.join()
    case.refresh_from_db()
    assert case.step == Step.RECEIVED
