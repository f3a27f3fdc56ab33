"""回访: the daily sweep that samples replied cases for a call-back.

Every final reply sets ``Case.callback_on`` (the services); the sweep reads the cases
whose day has come — one range scan of the partial index ``case_callback_due_idx``,
so cases missed while the scheduler was stopped are caught up the next run — decides
for each whether it is in the sample, and clears the date, so each case is considered
once. Whether a case is in the sample depends only on its tracking code and the
jurisdiction's ``case_callback_percent`` (set by the committee): running the sweep again,
or after a stop, picks the same cases. A case is sampled at most once
(``CaseCallback.case`` is unique); the clerk records the call (``case_record_callback``).
"""

import datetime as dt
import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.base.jurisdiction import settings_for_many
from suggestions.cases.models import Case, CaseCallback, CaseEvent, Step

BATCH_SIZE = 500
# Cases still waiting for their rating or close-off can be called back; a case archived
# or reopened before the sweep came is not.
CALLABLE = (Step.REPLIED, Step.FEEDBACK)


def in_sample(tracking_code: str, percent: int) -> bool:
    """Whether a case falls in a ``percent`` sample: the same answer every time."""
    digest = hashlib.sha256(tracking_code.encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < percent


def cases_callback_sample(*, today: dt.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Sample the replied cases due for consideration; returns how many were picked."""
    today = today or timezone.localdate()
    picked = 0
    while True:
        claimed, acted = _batch(today, batch_size)
        picked += acted
        if not claimed:
            return picked


@transaction.atomic
def _batch(today: dt.date, batch_size: int) -> tuple[int, int]:
    cases = list(
        Case.objects.filter(callback_on__lte=today)
        .select_for_update(skip_locked=True, of=("self",))
        .only("pk", "tracking_code", "region_id", "step")
        .order_by("callback_on", "id")[:batch_size]
    )
    if not cases:
        return 0, 0
    rules = settings_for_many(case.region_id for case in cases)
    chosen = [
        case
        for case in cases
        if case.step in CALLABLE
        and in_sample(case.tracking_code, rules[case.region_id].case_callback_percent)
    ]
    CaseCallback.objects.bulk_create(
        [CaseCallback(case=case, picked_on=today) for case in chosen], ignore_conflicts=True
    )
    note = _("Sampled for a call-back")
    CaseEvent.objects.bulk_create(
        [
            CaseEvent(
                case=case,
                kind="sample_callback",
                from_step=case.step,
                to_step=case.step,
                actor=None,
                note=note,
                data={"picked_on": today.isoformat()},
            )
            for case in chosen
        ]
    )
    Case.objects.filter(pk__in=[case.pk for case in cases]).update(callback_on=None)
    return len(cases), len(chosen)
