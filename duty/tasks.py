from celery import shared_task

from duty.sweeps import quota_reminders_send


@shared_task(ignore_result=True)
def remind_quotas_behind() -> int:
    """The daily quota reminder sweep; running it twice sends nothing twice."""
    return quota_reminders_send()
