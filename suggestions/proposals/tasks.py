from celery import shared_task

from suggestions.proposals.sweeps import suggestion_deadlines_sweep


@shared_task(ignore_result=True)
def sweep_suggestion_deadlines() -> str:
    """The daily suggestion sweep; running it twice sends nothing twice."""
    return str(suggestion_deadlines_sweep())
