from celery import shared_task

from projects.sweeps import milestones_sweep


@shared_task(ignore_result=True)
def sweep_project_milestones() -> int:
    """The daily milestone reminder and escalation sweep; running it twice sends nothing twice."""
    return milestones_sweep()
