"""A year (2026) of reception days for every demo station, planned by the real planner:
January–October held with their public notices, November–December published (the
sweep sends their notices once their notice date comes), a few cancelled with a
reason, and some stations' December still a draft."""

import datetime as dt
import random
from collections import defaultdict

from django.db.models import Prefetch
from django.utils import timezone

from stations.models import DutyAssignment, ReceptionDay, ReceptionNotice, ReceptionStatus
from stations.notice_dates import NoticeDates
from stations.notices import public_text
from stations.planning import reception_plan_generate

YEAR = 2026
HELD_UNTIL = dt.date(YEAR, 10, 31)
CANCEL_REASONS = ["台风暴雨预警，改期举行", "站点场地改造", "与乡镇人代会会期冲突"]


def seed_reception(rng: random.Random, stations: list) -> int:
    ids = [station.pk for station in stations]
    reception_plan_generate(year=YEAR, stations=stations[0].__class__.objects.filter(pk__in=ids))
    duties = DutyAssignment.objects.select_related("representative").order_by("-kind")
    days = list(
        ReceptionDay.objects.filter(station_id__in=ids, date__year=YEAR)
        .select_related("station")
        .prefetch_related(Prefetch("duties", queryset=duties))
        .order_by("date", "station_id")
    )
    notice_dates = NoticeDates(dt.date(YEAR, 7, 1))
    drafts = set(rng.sample(ids, len(ids) // 10))
    zone = timezone.get_default_timezone()
    published = dt.datetime(YEAR, 1, 5, 9, tzinfo=zone)
    notices, groups = [], defaultdict(list)
    for day in days:
        if day.date.month == 12 and day.station_id in drafts:
            continue
        values = {
            "status": ReceptionStatus.PUBLISHED,
            "published_at": published,
            "notice_date": notice_dates(day),
        }
        if rng.random() < 0.02:
            values["status"] = ReceptionStatus.CANCELLED
            values["cancel_reason"] = rng.choice(CANCEL_REASONS)
        elif day.date <= HELD_UNTIL:
            values["status"] = ReceptionStatus.HELD
            values["noticed_at"] = dt.datetime.combine(
                values["notice_date"], dt.time(7, 30), tzinfo=zone
            )
            notices.append(
                ReceptionNotice(
                    reception_day=day, text=public_text(day), published_at=values["noticed_at"]
                )
            )
        groups[tuple(sorted(values.items()))].append(day.pk)
    # One UPDATE per distinct set of values (a few dozen), not one per day.
    for values, pks in groups.items():
        ReceptionDay.objects.filter(pk__in=pks).update(**dict(values))
    ReceptionNotice.objects.bulk_create(notices, batch_size=500)
    return len(days)
