"""The duty record's models, by topic: ``activities`` (activities, participants, files,
findings raised as cases, history) and ``records`` (congress attendance, fixed contacts,
the yearly report, quota reminders)."""

from duty.models.activities import (  # noqa: F401
    FINDING_KINDS,
    Activity,
    ActivityEvent,
    ActivityFile,
    ActivityKind,
    ActivityParticipant,
    ActivityStatus,
    Finding,
    Organiser,
)
from duty.models.records import (  # noqa: F401
    CongressSession,
    ContactMade,
    ContactWay,
    ContactYear,
    DutyReport,
    DutyReportEvent,
    FixedContact,
    PeriodKind,
    Presence,
    QuotaReminder,
    ReportStatus,
    SessionAttendance,
)
