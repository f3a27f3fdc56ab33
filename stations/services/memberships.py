"""Seats: which representatives sit in which station, with dates."""

import datetime as dt

from django.db import transaction

from representatives.models import Representative
from stations.models import Station, StationMembership


@transaction.atomic
def membership_start(
    *,
    station: Station,
    representative: Representative,
    start_date: dt.date,
    end_date: dt.date | None = None,
    note: str = "",
) -> StationMembership:
    """Seat a representative in a station; refuses a period overlapping one they already hold."""
    # Serialises concurrent seatings of one representative, so the overlap check holds on SQLite.
    Representative.objects.select_for_update().filter(pk=representative.pk).first()
    membership = StationMembership(
        station=station,
        representative=representative,
        start_date=start_date,
        end_date=end_date,
        note=note,
    )
    membership.full_clean()
    membership.save()
    return membership
