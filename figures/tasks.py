from celery import shared_task

from figures import rollups
from figures.exports import export_write


@shared_task(ignore_result=True)
def rebuild_figures() -> dict:
    """The daily sweep: recount every roll-up (catches writes that sent no signal)."""
    return rollups.rebuild()


@shared_task(ignore_result=True)
def write_ledger(export_id: int) -> None:
    """Write a large ledger in the background; running it twice writes it once."""
    export_write(export_id)
