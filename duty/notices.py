"""Who is told what about the duty records (through the outbox, once: unique keys).

An activity a representative recorded is announced in the app to whoever may confirm
it: the organising group's liaison, the organising station's staff, or the committee of
the activity's region. The quota reminders are in ``sweeps.py``.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from duty.models import Activity, Organiser
from liaison.base import regions
from liaison.base.models import CommitteeMembership
from liaison.base.notifications.models import Channel, Notification, NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from stations.models import StationStaff

SUBJECT_TYPE = "duty.activity"


def _confirmers(activity: Activity):
    if activity.organiser == Organiser.GROUP and activity.group.liaison_id:
        return [activity.group.liaison]
    if activity.organiser == Organiser.STATION:
        return [
            s.user
            for s in StationStaff.objects.filter(station_id=activity.station_id).select_related(
                "user"
            )
        ]
    # The nearest committee over the activity's region (a township's, else the county's…).
    chain = regions.ancestor_codes(activity.region_id)
    members = list(CommitteeMembership.objects.filter(region_id__in=chain).select_related("user"))
    nearest = max((chain.index(m.region_id) for m in members), default=None)
    return [m.user for m in members if chain.index(m.region_id) == nearest]


def activity_to_confirm(activity: Activity) -> None:
    """In-app notices to those who may confirm it, once per submission."""
    submitted = activity.events.count()
    rows = [
        Notification(
            kind=NotificationKind.ACTIVITY_TO_CONFIRM,
            channel=Channel.IN_APP,
            subject_type=SUBJECT_TYPE,
            subject_id=activity.pk,
            recipient_key=f"user:{user.pk}",
            recipient_name=user.get_full_name() or user.get_username(),
            user=user,
            title=_("An activity waits for your confirmation"),
            body=_("%(date)s %(title)s: confirm it or return it on its page.")
            % {"date": f"{activity.date:%Y-%m-%d}", "title": activity.title},
            due_date=timezone.localdate(),
            dedupe_key=f"activity_to_confirm:{activity.pk}:{submitted}:user{user.pk}",
        )
        for user in _confirmers(activity)
        if user.is_active
    ]
    notifications_enqueue(notifications=rows)
