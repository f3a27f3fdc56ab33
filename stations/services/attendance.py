"""A station day in the duty record: the representative confirms they served (or not).

A duty counts in the representative's record (duty/record.py) once its day was held and
nobody marked it absent; the confirmation is the representative's own word, which the
station may also give (the liaison saw them there) or correct.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.base.flow import NotAllowed
from liaison.base.scopes import scope_of
from stations.models import Attendance, DutyAssignment, ReceptionStatus
from stations.services.reception_days import ReceptionDayError


@transaction.atomic
def duty_attendance_set(
    *, duty_id: int, actor: AbstractBaseUser, attendance: str
) -> DutyAssignment:
    duty = (
        DutyAssignment.objects.select_for_update(of=("self",))
        .select_related("reception_day__station")
        .get(pk=duty_id)
    )
    scope = scope_of(actor)
    own = scope.representative_id == duty.representative_id
    if not (own or scope.covers_station(duty.reception_day.station)):
        raise NotAllowed(_("You may not confirm this station day."))
    if attendance not in Attendance.values:
        raise ReceptionDayError({"attendance": _("Choose attended or did not attend.")})
    if duty.reception_day.status != ReceptionStatus.HELD:
        raise ReceptionDayError(_("Only a day that was held can be confirmed."))
    if duty.attendance == attendance:
        return duty
    duty.attendance = attendance
    duty.attendance_set_at = timezone.now()
    duty.save(update_fields=["attendance", "attendance_set_at"])
    return duty
