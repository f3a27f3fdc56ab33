from celery import shared_task

from stations.notices import reception_notices_send


@shared_task(ignore_result=True)
def send_reception_notices() -> int:
    """The daily notice sweep; running it twice sends nothing twice."""
    return reception_notices_send()
