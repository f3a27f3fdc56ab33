"""Who hears about a case, and the outbox rows that tell them.

Two callers: every move of the flow (``notify_case_changed``, after commit) and
the daily sweeps (sweeps.py). A notice to staff, units or
committees says only what the case's public fields say — tracking code,
title, step, deadline, station — never the constituent's name, phone, address
or ID number, which stay on the Visit.

Staff users get an in-app message, and an email where their account has an
address; a handling unit's contact phone gets an SMS; a representative who
received the visit gets an SMS, an email and an in-app message as far as they
have each. Every row has a unique key per (case, event or deadline, recipient,
channel), so writing the same notice twice writes it once.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from liaison.base.models import CommitteeMembership
from liaison.base.notifications.models import Channel, Notification, NotificationKind
from liaison.base.notifications.services import (
    notifications_deliver_after_commit,
    notifications_enqueue,
)
from liaison.base.pg_arrays import as_arrays
from liaison.base.regions import PREFIX_LENGTH, RegionLevel
from stations.models import StationStaff, Visit
from suggestions.cases.flow import CASES
from suggestions.models import Case, CaseCoUnit, HandlingUnit, UnitStaff

SUBJECT_TYPE = "suggestions.case"

# Who hears about which move is the flow table's ``notify`` (cases/flow.py); opening a
# case on a visit is not a move of the table and tells the committees.
RECEIVE_AUDIENCE = ("committee",)


def audience_of(transition: str) -> tuple[str, ...]:
    if transition == "receive":
        return RECEIVE_AUDIENCE
    return CASES[transition].notify if transition in CASES else ()


@dataclass(frozen=True)
class Recipient:
    key: str  # e.g. user:12, unit:3, representative:7 — part of the dedupe key
    name: str
    user_id: int | None = None
    email: str = ""
    phone: str = ""


def ancestor_code(region_code: str, level: str) -> str:
    """The code of the region of ``level`` that contains ``region_code``."""
    length = PREFIX_LENGTH[RegionLevel(level)]
    return region_code[:length].ljust(12, "0")


def local_committee_codes(region_code: str) -> list[str]:
    """The committees that sort and supervise a station's cases: its township's and county's."""
    return [
        ancestor_code(region_code, level) for level in (RegionLevel.TOWNSHIP, RegionLevel.COUNTY)
    ]


# RECIPIENTS, fetched for a whole batch of cases at once


def _user_recipient(user) -> Recipient:
    return Recipient(
        key=f"user:{user.pk}",
        name=user.get_full_name() or user.get_username(),
        user_id=user.pk,
        email=user.email,
    )


def committees_of(region_codes: Iterable[str]) -> dict[str, list[Recipient]]:
    """Active committee staff by the region code of their committee."""
    found = defaultdict(list)
    memberships = CommitteeMembership.objects.filter(
        region_id__in=set(region_codes), user__is_active=True
    ).select_related("user")
    for membership in memberships.order_by("region_id", "user_id"):
        found[membership.region_id].append(_user_recipient(membership.user))
    return found


def units_staff(unit_ids: Iterable[int]) -> dict[int, list[Recipient]]:
    """Each unit's active staff, and the unit's contact phone for an SMS."""
    found, unit_ids = defaultdict(list), set(unit_ids)
    staff = UnitStaff.objects.filter(unit_id__in=unit_ids, user__is_active=True)
    for row in staff.select_related("user", "unit").order_by("unit_id", "user_id"):
        found[row.unit_id].append(_user_recipient(row.user))
    for unit in HandlingUnit.objects.filter(pk__in=unit_ids).exclude(contact_phone=""):
        found[unit.pk].append(
            Recipient(key=f"unit:{unit.pk}", name=unit.name, phone=unit.contact_phone)
        )
    return found


def stations_staff(station_ids: Iterable[int]) -> dict[int, list[Recipient]]:
    found = defaultdict(list)
    staff = StationStaff.objects.filter(station_id__in=set(station_ids), user__is_active=True)
    for row in staff.select_related("user").order_by("station_id", "user_id"):
        found[row.station_id].append(_user_recipient(row.user))
    return found


def receivers_of(visit_ids: Iterable[int]) -> dict[int, list[Recipient]]:
    """The representatives who received each visit."""
    found = defaultdict(list)
    through = Visit.representatives.through.objects.filter(visit_id__in=set(visit_ids))
    for row in through.select_related("representative__user").order_by("visit_id"):
        rep = row.representative
        found[row.visit_id].append(
            Recipient(
                key=f"representative:{rep.pk}",
                name=rep.name,
                user_id=rep.user_id if rep.user_id and rep.user.is_active else None,
                email=rep.email,
                phone=rep.private_phone or rep.public_phone,
            )
        )
    return found


# ROWS


def summary(case: Case, *, step_label: str | None = None) -> str:
    """What a third party may read about a case: no constituent data. ``step_label``: the
    step's label, when the caller has it at hand (a batch looks each label up once)."""
    return summaries()(case, step_label or case.get_step_display())


def summary_lines() -> tuple[str, str, str, str]:
    """The lines of ``summary``, translated in the language active now: the case (code,
    title), its station (station), its step (step) and its deadline (date)."""
    return (
        str(_("Case %(code)s: %(title)s")),
        str(_("Station: %(station)s")),
        str(_("Step: %(step)s")),
        str(_("Deadline: %(date)s")),
    )


def summaries() -> Callable[[Case, str], str]:
    """``summary`` for a batch of cases (case, step label): its lines translated once, in
    the language active now, not once per case."""
    head, station, step, deadline = summary_lines()

    def write(case: Case, step_label: str) -> str:
        lines = [
            head % {"code": case.tracking_code, "title": case.title},
            station % {"station": case.station.name},
            step % {"step": step_label},
        ]
        if case.deadline:
            lines.append(deadline % {"date": case.deadline.isoformat()})
        return "\n".join(lines)

    return write


def rows_for(
    recipients: Iterable[Recipient], *, case: Case, kind: str, key: str, title: str, body: str
) -> list[Notification]:
    """One outbox row per recipient and channel they can be reached on; ``key`` names the
    occasion (an event, or a deadline and level) so that the same notice is written once."""
    return _rows(recipients, case.pk, kind, key, title, body)


def _rows(
    recipients: Iterable[Recipient], case_id: int, kind: str, key: str, title: str, body: str
) -> list[Notification]:
    rows, seen = [], set()
    today = timezone.localdate()
    for recipient in recipients:
        if recipient.key in seen:
            continue
        seen.add(recipient.key)
        channels = [
            (Channel.IN_APP, "", recipient.user_id),
            (Channel.EMAIL, recipient.email, None),
            (Channel.SMS, recipient.phone, None),
        ]
        for channel, address, user_id in channels:
            if not (address or user_id):
                continue
            rows.append(
                Notification(
                    kind=kind,
                    channel=channel,
                    subject_type=SUBJECT_TYPE,
                    subject_id=case_id,
                    recipient_key=recipient.key,
                    recipient_name=recipient.name[:100],
                    address=address,
                    user_id=user_id,
                    title=title[:200],
                    body=body,
                    due_date=today,
                    dedupe_key=f"{kind}:{SUBJECT_TYPE}:{case_id}:{key}:{recipient.key}:{channel}",
                )
            )
    return rows


# EVERY MOVE OF THE FLOW


def notify_case_changed(*, case_id: int, transition: str, event_id: int) -> int:
    """After commit of a move: tell the move's audience (``audience_of``), except whoever made it.

    Runs after the move is committed and never undoes it: the services register it with
    ``transaction.on_commit(..., robust=True)``, so a failure here is logged, not raised.
    Returns the number of outbox rows offered.
    """
    audience = audience_of(transition)
    if not audience:
        return 0
    case = Case.objects.select_related("station").get(pk=case_id)
    actor_id = case.events.filter(pk=event_id).values_list("actor_id", flat=True).first()
    recipients = [
        r for r in _audience(case, audience) if r.user_id is None or r.user_id != actor_id
    ]
    with translation.override(settings.LANGUAGE_CODE):  # the site's language, not the actor's
        title = _("Case %(code)s: %(move)s") % {
            "code": case.tracking_code,
            "move": CASES.label_of(transition),
        }
        rows = rows_for(
            recipients,
            case=case,
            kind=NotificationKind.CASE_CHANGED,
            key=f"ev{event_id}",
            title=title,
            body=summary(case),
        )
        if "constituent" in audience:
            rows += constituent_rows(case, transition=transition, event_id=event_id)
    with transaction.atomic():
        notifications_enqueue(notifications=rows)
    return len(rows)


# What the constituent is told, by move: that a reply came, or that the case is closed.
TO_CONSTITUENT = {
    "reply": _lazy("The reply to your opinion %(code)s has come: %(link)s"),
    "reply_in_progress": _lazy(
        "Your opinion %(code)s is being solved; the next reply is due by %(date)s: %(link)s"
    ),
    "conclude": _lazy("The committee has concluded on your opinion %(code)s: %(link)s"),
    "conclude_follow_up": _lazy("The committee has concluded on your opinion %(code)s: %(link)s"),
    "archive": _lazy("Your opinion %(code)s is closed off: %(link)s"),
}


def status_link(case: Case) -> str:
    """The status page with the code filled in; the constituent types the check."""
    return f"{settings.PUBLIC_SITE_URL}/cases/status/?code={case.tracking_code}"


def constituent_rows(case: Case, *, transition: str, event_id: int) -> list[Notification]:
    """One SMS to the phone the constituent gave, once per move: the tracking code and
    the link, never a name (a shared phone shows it to others)."""
    phone = Visit.objects.filter(pk=case.visit_id).values_list("constituent_phone", flat=True)
    phone = phone[0] if phone else ""
    if not phone or transition not in TO_CONSTITUENT:
        return []
    body = str(TO_CONSTITUENT[transition]) % {
        "code": case.tracking_code,
        "date": case.deadline.isoformat() if case.deadline else "",
        "link": status_link(case),
    }
    key = f"case:{case.pk}"
    return [
        Notification(
            kind=NotificationKind.CASE_TO_CONSTITUENT,
            channel=Channel.SMS,
            subject_type=SUBJECT_TYPE,
            subject_id=case.pk,
            recipient_key=key,
            address=phone,
            title=_("Your opinion %(code)s") % {"code": case.tracking_code},
            body=body,
            due_date=timezone.localdate(),
            dedupe_key=f"{NotificationKind.CASE_TO_CONSTITUENT}:{SUBJECT_TYPE}:ev{event_id}:{key}",
        )
    ]


def _audience(case: Case, roles: tuple[str, ...]) -> list[Recipient]:
    found: list[Recipient] = []
    for role in roles:
        if role == "committee":
            codes = local_committee_codes(case.region_id)
            by_region = committees_of(codes)
            found += [r for code in codes for r in by_region.get(code, [])]
        elif role == "lead_unit" and case.lead_unit_id:
            found += units_staff([case.lead_unit_id]).get(case.lead_unit_id, [])
        elif role == "co_units":
            ids = list(CaseCoUnit.objects.filter(case=case).values_list("unit_id", flat=True))
            by_unit = units_staff(ids)
            found += [r for unit_id in ids for r in by_unit.get(unit_id, [])]
        elif role == "liaison":
            found += stations_staff([case.station_id]).get(case.station_id, [])
        elif role == "receivers":
            found += receivers_of([case.visit_id]).get(case.visit_id, [])
    return found


# SET-BASED WRITING, for the sweeps' batches


@dataclass(frozen=True)
class Notice:
    """One occasion to tell some audiences about a case: what ``rows_for`` writes for the
    recipients of ``audiences`` (keys of the batch's recipients, in order), as rows."""

    case_id: int
    key: str
    title: str
    body: str
    audiences: tuple[str, ...]


def notices_enqueue(
    notices: list[Notice], *, kind: str, recipients: dict[str, list[Recipient]]
) -> None:
    """Write the outbox rows of ``notices``, each recipient once per notice and channel,
    skipping rows already written. On PostgreSQL one INSERT … SELECT fans the notices out
    to recipients and channels in the database (no model instance per row); the rows are
    the ones ``rows_for`` makes, in the same order."""
    if not notices:
        return
    if connection.vendor != "postgresql":
        rows = []
        for notice in notices:
            reached = [r for audience in notice.audiences for r in recipients.get(audience, [])]
            rows += _rows(reached, notice.case_id, kind, notice.key, notice.title, notice.body)
        notifications_enqueue(notifications=rows)
        return
    heard = [(n, a) for n, notice in enumerate(notices, 1) for a in notice.audiences]
    members = [(a, r) for a in {a for _n, a in heard} for r in recipients.get(a, [])]
    now = timezone.now()
    params = {
        "case_ids": [notice.case_id for notice in notices],
        "keys": [notice.key for notice in notices],
        "titles": [notice.title for notice in notices],
        "bodies": [notice.body for notice in notices],
        "heard_n": [n for n, _a in heard],
        "heard_audience": [a for _n, a in heard],
        "member_audience": [a for a, _r in members],
        "member_key": [r.key for _a, r in members],
        "member_name": [r.name for _a, r in members],
        "member_user": [r.user_id for _a, r in members],
        "member_email": [r.email for _a, r in members],
        "member_phone": [r.phone for _a, r in members],
        "kind": kind,
        "subject_type": SUBJECT_TYPE,
        "today": timezone.localdate(),
        "now": now,
    }
    with connection.cursor() as cursor:
        cursor.execute(_FAN_OUT_SQL.format(table=Notification._meta.db_table), as_arrays(params))
        written = cursor.rowcount
    if written:
        notifications_deliver_after_commit(written)


# Members keep the order of their audience (a unit's staff, then its phone; a committee's
# staff by user id); a recipient heard through two audiences of one notice is reached
# once, through the first, and every row's channels come in_app, email, sms: rows_for's
# order and rules. The dedupe key is rows_for's, so a row written either way is written
# once.
_FAN_OUT_SQL = """
WITH notice AS (
    SELECT * FROM unnest(%(case_ids)s::bigint[], %(keys)s::text[], %(titles)s::text[],
                         %(bodies)s::text[])
        WITH ORDINALITY AS n(case_id, key, title, body, n)
), heard AS (
    SELECT * FROM unnest(%(heard_n)s::bigint[], %(heard_audience)s::text[])
        WITH ORDINALITY AS h(n, audience, o)
), member AS (
    SELECT * FROM unnest(%(member_audience)s::text[], %(member_key)s::text[],
                         %(member_name)s::text[], %(member_user)s::int[],
                         %(member_email)s::text[], %(member_phone)s::text[])
        WITH ORDINALITY AS m(audience, key, name, user_id, email, phone, o)
), reached AS (
    SELECT DISTINCT ON (notice.n, member.key)
        notice.n, notice.case_id, notice.key AS occasion, notice.title, notice.body,
        member.key, member.name, member.user_id, member.email, member.phone,
        heard.o AS heard_o, member.o AS member_o
    FROM notice
    JOIN heard ON heard.n = notice.n
    JOIN member ON member.audience = heard.audience
    ORDER BY notice.n, member.key, heard.o, member.o
)
INSERT INTO {table} (
    kind, channel, subject_type, subject_id, recipient_key, recipient_name, address,
    user_id, title, body, due_date, dedupe_key, idempotency_key, status, attempts,
    next_attempt_at, last_error, sent_at, read_at, created_at)
SELECT %(kind)s::text, c.channel, %(subject_type)s::text, r.case_id, r.key, left(r.name, 100),
    CASE c.channel WHEN 'email' THEN r.email WHEN 'sms' THEN r.phone ELSE '' END,
    CASE WHEN c.channel = 'in_app' THEN r.user_id END,
    left(r.title, 200), r.body, %(today)s::date,
    concat_ws(':', %(kind)s::text, %(subject_type)s::text, r.case_id, r.occasion, r.key, c.channel),
    gen_random_uuid(), 'pending', 0, %(now)s::timestamptz, '', NULL, NULL, %(now)s::timestamptz
FROM reached AS r
CROSS JOIN (VALUES (1, 'in_app'), (2, 'email'), (3, 'sms')) AS c(o, channel)
WHERE CASE c.channel WHEN 'in_app' THEN r.user_id IS NOT NULL
                     WHEN 'email' THEN r.email <> ''
                     ELSE r.phone <> '' END
ORDER BY r.n, r.heard_o, r.member_o, c.o
ON CONFLICT DO NOTHING
"""
