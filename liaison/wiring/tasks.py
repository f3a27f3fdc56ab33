"""Tasks over the recompute of stored dates (liaison/wiring/recompute.py)."""

import datetime as dt

from celery import shared_task

from liaison.wiring import recompute


@shared_task(ignore_result=True)
def refresh_dates_around(*, days: list[str]) -> str:
    """The working-day calendar changed on ``days`` (ISO dates): stored dates follow."""
    dates = [dt.date.fromisoformat(day) for day in days]
    return str(recompute.derived_dates_refresh_around(days=dates))


@shared_task(ignore_result=True)
def refresh_dates_of_region(
    *, region_code: str, previous_lead: int | None = None, sweep_dates: bool = True
) -> str:
    """A region's rules changed: its subtree's stored dates follow (notice dates only
    when the lead changed from ``previous_lead``)."""
    report = recompute.derived_dates_refresh_for_region(
        region_code=region_code,
        previous_lead=previous_lead,
        notice_dates=previous_lead is not None,
        sweep_dates=sweep_dates,
    )
    return str(report)
