"""Every change to stations' data: seats (``memberships``) and reception days
(``reception_days``, the moves of ``stations/flow.py``). Visits are logged with the
cases they raise, in suggestions/cases/services/."""

from stations.services.attendance import duty_attendance_set
from stations.services.memberships import membership_start
from stations.services.reception_days import (
    ReceptionDayError,
    check_duty,
    reception_day_cancel,
    reception_day_hold,
    reception_day_publish,
    reception_day_set_duty,
    reception_day_unpublish,
    reception_day_update,
    reception_days_publish,
)

__all__ = [
    "ReceptionDayError",
    "check_duty",
    "duty_attendance_set",
    "membership_start",
    "reception_day_cancel",
    "reception_day_hold",
    "reception_day_publish",
    "reception_day_set_duty",
    "reception_day_unpublish",
    "reception_day_update",
    "reception_days_publish",
]
