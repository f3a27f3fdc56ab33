"""Recount a station's day once a write to it commits (receivers connected in
``FiguresConfig.ready``). Services know nothing of the roll-ups, which belong to a layer
above them; writes that send no signal (bulk updates) are caught by the daily rebuild."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from figures import rollups
from stations.models import DutyAssignment, ReceptionDay, Visit
from suggestions.models import Case


def _after_commit(refresh, station_id: int, day) -> None:
    """Recount the station's day once the transaction commits, once per transaction
    however many rows of that day it writes (a visit raising cases saves each twice)."""
    connection = transaction.get_connection()
    key = (refresh.__name__, station_id, day)
    if connection.in_atomic_block:
        # Django starts a new list of callbacks for each transaction (and after a
        # rollback), so the set of what is already asked belongs with that list.
        hooks, asked = getattr(connection, "_figures_asked", (None, None))
        if hooks is not connection.run_on_commit:
            asked = set()
            connection._figures_asked = (connection.run_on_commit, asked)
        if key in asked:
            return
        asked.add(key)
    else:
        asked = set()

    def recount_after_commit():
        asked.discard(key)
        refresh(station_id=station_id, day=day)

    # robust: the write is committed whatever happens to the recount (the sweep redoes it).
    transaction.on_commit(recount_after_commit, robust=True)


def _case_changed(sender, instance: Case, **kwargs) -> None:
    day = timezone.localdate(instance.received_at)
    _after_commit(rollups.refresh_cases, instance.station_id, day)


def _visit_changed(sender, instance: Visit, **kwargs) -> None:
    _after_commit(
        rollups.refresh_station, instance.station_id, timezone.localdate(instance.visited_at)
    )


def _day_changed(sender, instance: ReceptionDay, **kwargs) -> None:
    _after_commit(rollups.refresh_station, instance.station_id, instance.date)


def _duty_changed(sender, instance: DutyAssignment, **kwargs) -> None:
    station_id = (
        ReceptionDay.objects.filter(pk=instance.reception_day_id)
        .values_list("station_id", flat=True)
        .first()
    )
    if station_id is not None:
        _after_commit(rollups.refresh_station, station_id, instance.date)


def connect() -> None:
    for model, receiver in (
        (Case, _case_changed),
        (Visit, _visit_changed),
        (ReceptionDay, _day_changed),
        (DutyAssignment, _duty_changed),
    ):
        uid = f"figures-{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete")
