"""A representative's duty record (履职档案) in figures, for one period, linked from what
the product already has: station days held (stations/), congress sessions attended,
suggestions signed (suggestions/proposals/), cases raised at visits they received
(suggestions/cases/), activities confirmed, fixed contacts and contacts made, people
reached, reports to the voters published.

``counts_for(representatives, start, end)`` answers for many representatives at once
with one grouped query per source (ten in all, whatever their number): the quota table
of a county's 1,300 representatives costs the same queries as one record.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from duty.models import (
    ActivityKind,
    ActivityParticipant,
    ActivityStatus,
    ContactMade,
    ContactYear,
    DutyReport,
    FixedContact,
    Presence,
    ReportStatus,
    SessionAttendance,
)
from representatives.models import Representative
from stations.models import Attendance, DutyAssignment, ReceptionStatus, Visit
from suggestions.cases.models import Case
from suggestions.proposals.models import Suggestion, SuggestionStep

# The kinds as plain strings, listed once (iterating the enum per row is slow).
KINDS = tuple(ActivityKind.values)


@dataclass
class Counts:
    station_days: int = 0
    station_days_to_confirm: int = 0
    sessions_attended: int = 0
    sessions_missed: int = 0
    suggestions: int = 0
    cases_received: int = 0
    activities: dict = field(default_factory=dict)  # kind -> confirmed activities
    people_reached: int = 0
    fixed_contacts: int = 0
    contacts_made: int = 0
    # Fixed contacts met at least ``times`` times in the period, for each ``times`` asked.
    contacted_enough: dict = field(default_factory=dict)
    reports_published: int = 0

    @property
    def activities_total(self) -> int:
        return sum(self.activities.values())


def _ids(representatives) -> QuerySet | list:
    if isinstance(representatives, QuerySet):
        return representatives.values("pk")
    return [getattr(r, "pk", r) for r in representatives]


def _moments(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period as local midnights, so that time columns are compared on their index."""
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time(), zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone),
    )


# What ``counts_for`` can count, one query each; ``parts`` picks some (the quotas need
# five of them: each left out is a round trip a county's quota table does not pay).
PARTS = frozenset(
    {"station_days", "sessions", "suggestions", "people", "cases", "activities"}
    | {"fixed_contacts", "contacts", "reports"}
)


def counts_for(
    representatives, start: dt.date, end: dt.date, *, contact_times=(1,), parts=PARTS
) -> dict[int, Counts]:
    """Every representative's counts between ``start`` and ``end`` (inclusive).
    ``people_reached`` adds up the parts asked among people, activities and contacts."""
    ids = _ids(representatives)
    contact_times = sorted(set(contact_times))
    since, until = _moments(start, end)
    result: dict[int, Counts] = defaultdict(Counts)

    if "station_days" in parts:
        duties = DutyAssignment.objects.filter(
            representative_id__in=ids,
            date__range=(start, end),
            reception_day__status=ReceptionStatus.HELD,
        ).exclude(attendance=Attendance.ABSENT)
        for rep, held, pending in (
            duties.values("representative_id")
            .annotate(
                held=Count("id"), pending=Count("id", filter=Q(attendance=Attendance.PENDING))
            )
            .values_list("representative_id", "held", "pending")
        ):
            result[rep].station_days, result[rep].station_days_to_confirm = held, pending

    if "sessions" in parts:
        for rep, present, missed in (
            SessionAttendance.objects.filter(representative_id__in=ids, date__range=(start, end))
            .values("representative_id")
            .annotate(
                present=Count("id", filter=Q(presence=Presence.PRESENT)),
                missed=Count("id", filter=~Q(presence=Presence.PRESENT)),
            )
            .values_list("representative_id", "present", "missed")
        ):
            result[rep].sessions_attended, result[rep].sessions_missed = present, missed

    if "suggestions" in parts:
        signed = Suggestion.signers.through.objects.filter(
            representative_id__in=ids,
            suggestion__filed_at__gte=since,
            suggestion__filed_at__lt=until,
        ).exclude(suggestion__step__in=[SuggestionStep.RETURNED, SuggestionStep.MERGED])
        for rep, n in (
            signed.values("representative_id")
            .annotate(n=Count("suggestion_id", distinct=True))
            .values_list("representative_id", "n")
        ):
            result[rep].suggestions = n

    if "people" in parts:
        received = Visit.representatives.through.objects.filter(
            representative_id__in=ids, visit__visited_at__gte=since, visit__visited_at__lt=until
        )
        for rep, people in (
            received.values("representative_id")
            .annotate(people=Sum("visit__people_count"))
            .values_list("representative_id", "people")
        ):
            result[rep].people_reached += people or 0

    if "cases" in parts:
        for rep, n in (
            Case.objects.filter(
                visit__representatives__in=ids, received_at__gte=since, received_at__lt=until
            )
            .values("visit__representatives")
            .annotate(n=Count("id", distinct=True))
            .values_list("visit__representatives", "n")
        ):
            result[rep].cases_received = n

    if "activities" in parts:
        # One row per representative, a count per kind (not a row per kind: 10× fewer rows).
        kinds = {f"k_{kind}": Count("id", filter=Q(activity__kind=kind)) for kind in KINDS}
        for row in (
            ActivityParticipant.objects.filter(
                representative_id__in=ids,
                activity__status=ActivityStatus.CONFIRMED,
                activity__date__range=(start, end),
            )
            .values("representative_id")
            .annotate(people=Sum("activity__people_reached"), **kinds)
        ):
            counts = result[row["representative_id"]]
            counts.activities = {
                kind: row[f"k_{kind}"] for kind in ActivityKind if row[f"k_{kind}"]
            }
            counts.people_reached += row["people"] or 0

    if "fixed_contacts" in parts:
        for rep, n in (
            FixedContact.objects.filter(representative_id__in=ids, active=True)
            .values("representative_id")
            .annotate(n=Count("id"))
            .values_list("representative_id", "n")
        ):
            result[rep].fixed_contacts = n

    if "contacts" in parts:
        for rep, made, people, *enough in _contacts_made(ids, start, end, contact_times):
            counts = result[rep]
            # SUM of a count is a numeric in PostgreSQL: plain ints for JSON and templates.
            counts.contacts_made = int(made)
            counts.people_reached += int(people)
            counts.contacted_enough = dict(zip(contact_times, map(int, enough), strict=True))

    if "reports" in parts:
        for rep, n in (
            DutyReport.objects.filter(
                representative_id__in=ids,
                status=ReportStatus.PUBLISHED,
                year__range=(start.year, end.year),
            )
            .values("representative_id")
            .annotate(n=Count("id"))
            .values_list("representative_id", "n")
        ):
            result[rep].reports_published = n
    return result


def _contacts_made(ids, start, end, contact_times) -> list[tuple]:
    """Per representative: contacts made, people contacted, and people contacted at least
    ``t`` times for each ``t`` — aggregated in the database over the per-contact counts
    (a derived table), so a county's ten thousand contacts never reach Python. A calendar
    year, the quotas' period, reads the kept yearly counts (``ContactYear``) instead."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        enough = {f"e{t}": Count("id", filter=Q(times__gte=t)) for t in contact_times}
        return list(
            ContactYear.objects.filter(
                representative_id__in=ids, year=start.year, contact__active=True
            )
            .values("representative_id")
            .annotate(made=Sum("times"), people=Count("id"), **enough)
            .values_list("representative_id", "made", "people", *enough)
        )
    per_contact = (
        ContactMade.objects.filter(
            representative_id__in=ids, date__range=(start, end), contact__active=True
        )
        .values("representative_id", "contact_id")
        .annotate(n=Count("id"))
        .values("representative_id", "contact_id", "n")
    )
    inner, params = per_contact.query.sql_with_params()
    enough = "".join(f", COUNT(*) FILTER (WHERE t.n >= {int(t)})" for t in contact_times)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.representative_id, SUM(t.n), COUNT(*){enough} "  # noqa: S608
            f"FROM ({inner}) t GROUP BY t.representative_id",
            params,
        )
        return cursor.fetchall()


def counts_of(representative, start: dt.date, end: dt.date, **kwargs) -> Counts:
    return counts_for([representative], start, end, **kwargs).get(
        getattr(representative, "pk", representative), Counts()
    )


def _scalar(queryset, value):
    """A correlated scalar subquery over one representative's rows (one row: no cost per
    row of a list)."""
    return Coalesce(
        Subquery(queryset.order_by().values("representative_id").annotate(v=value).values("v")),
        0,
    )


def public_figures(representative_id: int, start: dt.date, end: dt.date) -> dict:
    """The counts the public profile shows, in ONE query (a page's budget is 10 queries):
    station days, sessions, suggestions, cases, activities, contacts, people reached."""
    since, until = _moments(start, end)
    rep = OuterRef("pk")
    row = (
        Representative.objects.filter(pk=representative_id)
        .annotate(
            n_station_days=_scalar(
                DutyAssignment.objects.filter(
                    representative_id=rep,
                    date__range=(start, end),
                    reception_day__status=ReceptionStatus.HELD,
                ).exclude(attendance=Attendance.ABSENT),
                Count("id"),
            ),
            n_sessions_attended=_scalar(
                SessionAttendance.objects.filter(
                    representative_id=rep, date__range=(start, end), presence=Presence.PRESENT
                ),
                Count("id"),
            ),
            n_suggestions=_scalar(
                Suggestion.signers.through.objects.filter(
                    representative_id=rep,
                    suggestion__filed_at__gte=since,
                    suggestion__filed_at__lt=until,
                ).exclude(suggestion__step__in=[SuggestionStep.RETURNED, SuggestionStep.MERGED]),
                Count("suggestion_id", distinct=True),
            ),
            n_cases_received=_scalar(
                Case.objects.filter(
                    visit__representatives=rep, received_at__gte=since, received_at__lt=until
                ).annotate(representative_id=F("visit__representatives")),
                Count("id", distinct=True),
            ),
            n_visit_people=_scalar(
                Visit.representatives.through.objects.filter(
                    representative_id=rep,
                    visit__visited_at__gte=since,
                    visit__visited_at__lt=until,
                ),
                Sum("visit__people_count"),
            ),
            n_activities=_scalar(
                ActivityParticipant.objects.filter(
                    representative_id=rep,
                    activity__status=ActivityStatus.CONFIRMED,
                    activity__date__range=(start, end),
                ),
                Count("id"),
            ),
            n_activity_people=_scalar(
                ActivityParticipant.objects.filter(
                    representative_id=rep,
                    activity__status=ActivityStatus.CONFIRMED,
                    activity__date__range=(start, end),
                ),
                Sum("activity__people_reached"),
            ),
            n_fixed_contacts=_scalar(
                FixedContact.objects.filter(representative_id=rep, active=True), Count("id")
            ),
            n_contacts_made=_scalar(
                ContactMade.objects.filter(
                    representative_id=rep, date__range=(start, end), contact__active=True
                ),
                Count("id"),
            ),
            n_people_contacted=_scalar(
                ContactMade.objects.filter(
                    representative_id=rep, date__range=(start, end), contact__active=True
                ),
                Count("contact_id", distinct=True),
            ),
        )
        .values()
        .first()
    ) or {}
    keys = (
        "station_days",
        "sessions_attended",
        "suggestions",
        "cases_received",
        "activities",
        "fixed_contacts",
        "contacts_made",
    )
    figures = {key: row.get(f"n_{key}", 0) for key in keys}
    figures["people_reached"] = sum(
        row.get(f"n_{key}", 0) for key in ("visit_people", "activity_people", "people_contacted")
    )
    return figures
