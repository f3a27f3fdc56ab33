"""Outbox rows about suggestions: to the signers (SMS before handling and on the
reply), to the units and to the committee (reminders, escalation).

Recipients are fetched for a whole batch at once (``Recipients.load``); every
row has a dedupe key, so writing the same notice twice sends it once. Notices
carry the suggestion's number, title and dates, never a constituent's data.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from liaison.base import regions
from liaison.base.models import CommitteeMembership
from liaison.base.notifications.models import Channel, Notification
from suggestions.models import HandlingUnit, UnitStaff
from suggestions.proposals.models import Suggestion, SuggestionSigner

SUBJECT_TYPE = "suggestions.suggestion"


@dataclass
class Recipients:
    """Unit staff and unit phones by unit, committee users by region, for one batch."""

    unit_users: dict[int, list] = field(default_factory=dict)
    unit_phones: dict[int, str] = field(default_factory=dict)
    committee_users: dict[str, list] = field(default_factory=dict)

    @classmethod
    def load(cls, *, unit_ids=(), region_codes=()) -> "Recipients":
        recipients = cls()
        unit_ids = set(unit_ids)
        if unit_ids:
            users = defaultdict(list)
            for row in UnitStaff.objects.filter(unit_id__in=unit_ids, user__is_active=True):
                users[row.unit_id].append(row.user_id)
            recipients.unit_users = dict(users)
            recipients.unit_phones = dict(
                HandlingUnit.objects.filter(pk__in=unit_ids).values_list("pk", "contact_phone")
            )
        ancestors = {code: regions.ancestor_codes(code) for code in set(region_codes)}
        if ancestors:
            wanted = {code for codes in ancestors.values() for code in codes}
            by_region = defaultdict(list)
            for region_id, user_id in CommitteeMembership.objects.filter(
                region_id__in=wanted, user__is_active=True
            ).values_list("region_id", "user_id"):
                by_region[region_id].append(user_id)
            recipients.committee_users = {
                code: sorted({uid for c in codes for uid in by_region.get(c, [])})
                for code, codes in ancestors.items()
            }
        return recipients


def _row(
    suggestion,
    *,
    kind,
    channel,
    key,
    recipient_key,
    title,
    body,
    due,
    address="",
    user_id=None,
    name="",
):
    return Notification(
        kind=kind,
        channel=channel,
        subject_type=SUBJECT_TYPE,
        subject_id=suggestion.pk,
        recipient_key=recipient_key,
        recipient_name=name,
        address=address,
        user_id=user_id,
        title=title,
        body=body,
        due_date=due,
        dedupe_key=f"{kind}:{SUBJECT_TYPE}:{suggestion.pk}:{key}:{recipient_key}:{channel}"[:200],
    )


def to_signers(
    suggestion: Suggestion, *, kind: str, key: str, title: str, body: str, due: dt.date
) -> list[Notification]:
    """An SMS and an in-app message to every signer (their own phone is the address)."""
    signings = SuggestionSigner.objects.filter(suggestion=suggestion).select_related(
        "representative"
    )
    rows = []
    for signing in signings:
        rep = signing.representative
        recipient = f"representative:{rep.pk}"
        phone = rep.private_phone or rep.public_phone
        common = {"kind": kind, "key": key, "title": title, "body": body, "due": due}
        if phone:
            rows.append(
                _row(
                    suggestion,
                    channel=Channel.SMS,
                    recipient_key=recipient,
                    address=phone,
                    name=rep.name,
                    **common,
                )
            )
        if rep.user_id:
            rows.append(
                _row(
                    suggestion,
                    channel=Channel.IN_APP,
                    recipient_key=recipient,
                    user_id=rep.user_id,
                    name=rep.name,
                    **common,
                )
            )
    return rows


def to_unit(
    suggestion, unit_id: int, recipients: Recipients, *, kind, key, title, body, due
) -> list[Notification]:
    """In-app to each staff user of the unit, and an SMS to the unit's contact phone."""
    common = {"kind": kind, "key": key, "title": title, "body": body, "due": due}
    rows = [
        _row(
            suggestion,
            channel=Channel.IN_APP,
            recipient_key=f"user:{user_id}",
            user_id=user_id,
            **common,
        )
        for user_id in recipients.unit_users.get(unit_id, [])
    ]
    phone = recipients.unit_phones.get(unit_id)
    if phone:
        rows.append(
            _row(
                suggestion,
                channel=Channel.SMS,
                recipient_key=f"unit:{unit_id}",
                address=phone,
                **common,
            )
        )
    return rows


def to_committee(suggestion, recipients: Recipients, *, kind, key, title, body, due):
    """In-app to the committee staff of the suggestion's congress and the levels above."""
    return [
        _row(
            suggestion,
            channel=Channel.IN_APP,
            recipient_key=f"user:{user_id}",
            user_id=user_id,
            kind=kind,
            key=key,
            title=title,
            body=body,
            due=due,
        )
        for user_id in recipients.committee_users.get(suggestion.region_id, [])
    ]


def label(suggestion: Suggestion) -> str:
    return _("Suggestion %(number)s “%(title)s”") % {
        "number": suggestion.number,
        "title": suggestion.title,
    }
