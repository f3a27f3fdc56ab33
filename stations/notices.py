"""The notice sweep: every published reception day whose notice date has come (or
passed while the scheduler was down) gets its public announcement and an SMS,
an email and an in-app message to each on-duty representative.

Days are taken in batches with ``SELECT … FOR UPDATE SKIP LOCKED`` over the
partial index on ``notice_date``; a batch writes its announcements, its outbox
rows (unique keys) and its ``noticed_at`` in one transaction, so a sweep run
twice, or two sweeps at once, send nothing twice.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.base import public_cache
from liaison.base.notifications.models import Channel, Notification, NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from representatives.models import Representative
from stations.models import DutyAssignment, ReceptionDay, ReceptionNotice, ReceptionStatus

BATCH_SIZE = 200
SUBJECT_TYPE = "stations.receptionday"


def due_for_notice(today: dt.date):
    """Published days whose notice date is today or earlier, not noticed, not yet past."""
    return ReceptionDay.objects.filter(
        status=ReceptionStatus.PUBLISHED,
        noticed_at__isnull=True,
        notice_date__lte=today,
        date__gte=today,
    )


def reception_notices_send(*, today: dt.date | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Run the sweep; returns the number of reception days noticed."""
    today = today or timezone.localdate()
    total = 0
    with translation.override(
        settings.LANGUAGE_CODE
    ):  # the site's default language, not a request's
        while count := _notice_batch(today, batch_size):
            total += count
    return total


@transaction.atomic
def _notice_batch(today: dt.date, batch_size: int) -> int:
    days = list(
        due_for_notice(today)
        .select_for_update(skip_locked=True)
        .order_by("notice_date", "id")[:batch_size]
    )
    if not days:
        return 0
    duties = DutyAssignment.objects.select_related("representative__user").order_by(
        "-kind", "representative__level", "representative__name"
    )
    prefetch_related_objects(days, "station", Prefetch("duties", queryset=duties))
    now = timezone.now()
    ReceptionNotice.objects.bulk_create(
        [
            ReceptionNotice(reception_day=day, text=public_text(day), published_at=now)
            for day in days
        ],
        ignore_conflicts=True,
    )
    notifications_enqueue(notifications=[row for day in days for row in _duty_notifications(day)])
    ReceptionDay.objects.filter(pk__in=[day.pk for day in days]).update(noticed_at=now)
    # bulk_create sends no signal: station pages show the new notices from now on.
    public_cache.bump("reception")
    return len(days)


def _when(day: ReceptionDay) -> str:
    return f"{day.date:%Y-%m-%d} {day.start_time:%H:%M}–{day.end_time:%H:%M}"


def public_text(day: ReceptionDay) -> str:
    """The announcement: names, work units and public phones; never a private phone."""
    lines = [
        _("%(station)s reception day") % {"station": day.station.name},
        _("Time: %(when)s") % {"when": _when(day)},
        _("Place: %(place)s") % {"place": day.place or day.station.address},
        _("Representatives on duty:"),
    ]
    for duty in day.duties.all():
        rep = duty.representative
        parts = [rep.name, rep.get_level_display()]
        parts += [value for value in (rep.work_unit, rep.position) if value]
        if rep.public_phone:
            parts.append(_("phone %(phone)s") % {"phone": rep.public_phone})
        lines.append(" · ".join(str(part) for part in parts))
    return "\n".join(str(line) for line in lines)


def _duty_notifications(day: ReceptionDay) -> list[Notification]:
    reps = [duty.representative for duty in day.duties.all()]
    rows = []
    for rep in reps:
        others = "、".join(other.name for other in reps if other.pk != rep.pk) or _("none")
        body = _(
            "%(name)s, you are on duty at %(station)s on %(when)s, at %(place)s. "
            "Also on duty: %(others)s."
        ) % {
            "name": rep.name,
            "station": day.station.name,
            "when": _when(day),
            "place": day.place or day.station.address,
            "others": others,
        }
        rows += recipients_rows(
            day=day,
            representative=rep,
            kind=NotificationKind.RECEPTION_NOTICE,
            title=_("Reception day on %(date)s") % {"date": day.date.isoformat()},
            body=body,
        )
    return rows


def recipients_rows(
    *, day: ReceptionDay, representative: Representative, kind: str, title: str, body: str
) -> list[Notification]:
    """One outbox row per channel the representative can be reached on."""
    phone = representative.private_phone or representative.public_phone
    channels = [
        (Channel.SMS, phone, None),
        (Channel.EMAIL, representative.email, None),
        (Channel.IN_APP, "", representative.user),
    ]
    return [
        Notification(
            kind=kind,
            channel=channel,
            subject_type=SUBJECT_TYPE,
            subject_id=day.pk,
            recipient_key=f"representative:{representative.pk}",
            recipient_name=representative.name,
            address=address,
            user=user,
            title=title,
            body=body,
            due_date=day.notice_date or day.date,
            dedupe_key=f"{kind}:{SUBJECT_TYPE}:{day.pk}:rep{representative.pk}:{channel}",
        )
        for channel, address, user in channels
        if address or user
    ]
