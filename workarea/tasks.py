from celery import shared_task

from workarea.digests import digests_send


@shared_task(ignore_result=True)
def send_message_digests() -> int:
    """The daily digest of unread messages; running it twice sends nothing twice."""
    return digests_send()
