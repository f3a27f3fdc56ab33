"""Data for the fault suite, written through the real services into its own database:
the case world (a county, a station, every role), a case in handling, a session and a
token for the committee, and 6,000 SMS in the outbox (not yet due): enough that delivery
is still under way when the fault suite stops PostgreSQL. Prints JSON."""

import datetime as dt
import json

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import SESSION_KEY  # noqa: E402
from django.utils import timezone  # noqa: E402

from liaison.base import api_tokens  # noqa: E402
from liaison.base.notifications.models import Channel, Notification  # noqa: E402
from liaison.base.sessions import SessionStore  # noqa: E402
from suggestions.models import Step  # noqa: E402
from tests.case_world import case_at, make_world  # noqa: E402

OUTBOX = 6000

world = make_world()
case = case_at(world, Step.HANDLING)
committee = world.users["committee"]
session = SessionStore()
session[SESSION_KEY] = str(committee.pk)
session["_auth_user_backend"] = "liaison.base.auth.UserBackend"
session["_auth_user_hash"] = committee.get_session_auth_hash()
session.create()
later = timezone.now() + dt.timedelta(days=1)
Notification.objects.bulk_create(
    Notification(
        kind="reception_notice",
        channel=Channel.SMS,
        subject_type="faults.batch",
        subject_id=number,
        recipient_key=f"representative:{number}",
        address=f"138{number:08d}",
        title="接待日",
        body=f"第{number}号通知",
        due_date=timezone.localdate(),
        dedupe_key=f"faults:{number}",
        next_attempt_at=later,
    )
    for number in range(OUTBOX)
)
print(
    json.dumps(
        {
            "case": case.pk,
            "station": world.station.pk,
            "session": session.session_key,
            "cookie": settings.SESSION_COOKIE_NAME,
            "token": api_tokens.issue(committee)[1],
            "outbox": OUTBOX,
        }
    )
)
