"""The public side of cases: an opinion submitted online, and the status lookup.

``case_submit_online`` is the receive move without a staff actor: it records an
online-channel Visit (the constituent's name and phone stay there) and its Case,
and queues an SMS confirmation to the phone the constituent gave, nobody else.
``case_status_lookup`` finds a case by its tracking code plus the last four digits
of that phone, comparing in constant time and saying nothing about whether a code
exists when the check is wrong.
"""

import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.base.models import Region
from liaison.base.notifications.models import Channel, Notification, NotificationKind
from liaison.base.notifications.services import notifications_enqueue
from liaison.base.ratelimit import Limit
from liaison.base.regions import within
from liaison.base.validators import normalize_phone, validate_mobile
from stations.models import Station, Visit, VisitChannel
from suggestions.cases import selectors, tracking
from suggestions.cases.services import case_receive_unchecked
from suggestions.models import Case, CaseCategory

SUBJECT_TYPE = "suggestions.case"
# Compared against when no case has the typed code, so that a miss costs what a hit does.
_NO_PHONE = "0000"


def submit_limits() -> tuple[Limit, Limit]:
    return (
        Limit("submit-ip", settings.SUBMIT_LIMIT_PER_IP_HOUR, 3600),
        Limit("submit-phone", settings.SUBMIT_LIMIT_PER_PHONE_DAY, 86400),
    )


def status_limits() -> tuple[Limit, Limit]:
    return (
        Limit("status-ip", settings.STATUS_LIMIT_PER_IP_10MIN, 600),
        Limit("status-code", settings.STATUS_WRONG_CHECKS_PER_CODE_HOUR, 3600),
    )


def station_for_region(region: Region) -> Station | None:
    """The station an opinion for a region goes to when the constituent names no station:
    the region's own station (a township's street station) first, then the first active
    station below it by division code and name."""
    stations = Station.objects.active().filter(within("region", region.bounds))
    return (
        stations.filter(region=region).order_by("name", "id").first()
        or stations.order_by("region_id", "name", "id").first()
    )


@transaction.atomic
def case_submit_online(
    *,
    station: Station,
    category: CaseCategory | None,
    name: str,
    phone: str,
    title: str,
    description: str,
    notice_version: str,
) -> Case:
    """接待 online: the constituent's own opinion, registered by the station within the
    jurisdiction's limit, with the version of the notice on personal data they accepted
    (PIPL). Raises ValidationError with field errors and saves nothing."""
    errors: dict = {}
    if not notice_version:
        errors["consent"] = [_("Please read and accept the notice on personal data.")]
    if not station.active:
        errors["station"] = [_("This station does not take opinions at the moment.")]
    if category is not None and not category.active:
        errors["category"] = [_("Choose an active category.")]
    try:
        validate_mobile(phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    if errors:
        raise ValidationError(errors)
    visit = Visit(
        station=station,
        region_id=station.region_id,
        channel=VisitChannel.ONLINE,
        visited_at=timezone.now(),
        constituent_name=(name or "").strip(),
        constituent_phone=normalize_phone(phone),
        consent_notice_version=notice_version[:20],
        consented_at=timezone.now(),
    )
    visit.full_clean(exclude=["region"])
    visit.save()
    case = case_receive_unchecked(
        actor=None, visit=visit, title=title, description=description, category=category
    )
    notifications_enqueue(notifications=[_confirmation(case, visit.constituent_phone)])
    return case


def _confirmation(case: Case, phone: str) -> Notification:
    # The site's language for the SMS, and no name in it: a shared phone shows it to others.
    body = gettext(
        "Your opinion was received by %(station)s. Tracking code %(code)s; it will be "
        "registered by %(deadline)s. Check its progress with the code and the last four "
        "digits of this phone."
    ) % {
        "station": case.station.name,
        "code": case.tracking_code,
        "deadline": case.deadline.isoformat() if case.deadline else "",
    }
    return Notification(
        kind=NotificationKind.CASE_SUBMITTED,
        channel=Channel.SMS,
        subject_type=SUBJECT_TYPE,
        subject_id=case.pk,
        recipient_key=f"case:{case.pk}",
        address=phone,
        title=gettext("Opinion received"),
        body=body,
        due_date=timezone.localdate(),
        dedupe_key=f"{NotificationKind.CASE_SUBMITTED}:{SUBJECT_TYPE}:{case.pk}:sms",
    )


@dataclass(frozen=True)
class Lookup:
    case: Case | None
    # The code as typed, normalised; None when malformed. Wrong checks count against it,
    # whether or not a case has it, so the count says nothing about existence.
    code: str | None


def case_status_lookup(*, code: str, check: str) -> Lookup:
    """The case whose code is ``code`` and whose constituent's phone ends in ``check``.

    One indexed query on the unique code whether or not it exists; the comparison of
    the check runs in constant time against a stand-in when there is no such case.
    """
    normalized = tracking.normalize(code)
    check = normalize_phone(check)
    if normalized is None:
        return Lookup(None, None)
    # The status page's own row: its page needs no second read of the case.
    found = selectors.public_case_by_code(normalized)
    expected = (found.check_digits or _NO_PHONE) if found else _NO_PHONE
    expected = expected if len(expected) == 4 else _NO_PHONE
    matches = hmac.compare_digest(expected.encode(), check.encode()) and found is not None
    return Lookup(found if matches and len(check) == 4 else None, normalized)
