"""The app's models, by topic: ``places`` (stations, staff, checklists, seats),
``reception`` (reception days, duties, notices, history) and ``visits``."""

from stations.models.places import (  # noqa: F401
    ChecklistItem,
    MembershipQuerySet,
    StaffRole,
    Station,
    StationChecklist,
    StationKind,
    StationMembership,
    StationQuerySet,
    StationStaff,
)
from stations.models.reception import (  # noqa: F401
    Attendance,
    DutyAssignment,
    ReceptionDay,
    ReceptionDayEvent,
    ReceptionNotice,
    ReceptionStatus,
)
from stations.models.visits import Visit, VisitChannel  # noqa: F401
