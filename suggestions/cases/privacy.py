"""PIPL: a constituent's personal data is kept only as long as the work needs it. A
visit's name, phone, address and ID number, and the phone its constituent's SMS went to
(the outbox rows keyed ``case:<id>``), are erased ANONYMISE_AFTER_DAYS after the last of
its cases was closed (archived, merged or withdrawn), or after the visit itself when it
raised no case. The cases stay, with their text and outcome, for the figures and the
archive; the visit keeps when it was anonymised. Idempotent: a visit is done once. On the
person's own request to delete, their words (case descriptions, rating comments) go too."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.base.notifications.models import TO_CONSTITUENT_KINDS, Notification
from liaison.base.regions import subtree_bounds, within
from liaison.base.scopes import in_regions, scope_of
from liaison.base.validators import normalize_phone
from stations.models import Visit
from stations.models.visits import ANONYMISED
from suggestions.models import (
    CLOSED_STEPS,
    Case,
    CaseRating,
    DataRequest,
    DataRequestKind,
    DataRequestStatus,
)

BATCH = 500


def visits_due_for_anonymising(now=None):
    days = settings.ANONYMISE_AFTER_DAYS
    if not days:
        return Visit.objects.none()
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    cases = Case.objects.filter(visit=OuterRef("pk"))
    still_needed = cases.filter(
        ~Q(step__in=CLOSED_STEPS) | Q(closed_at__isnull=True) | Q(closed_at__gte=cutoff)
    )
    return Visit.objects.filter(anonymised_at__isnull=True).filter(
        (Exists(cases) & ~Exists(still_needed)) | (~Exists(cases) & Q(visited_at__lt=cutoff))
    )


def visits_anonymise(*, now=None) -> int:
    """Erases the personal data of every visit that is due; returns how many."""
    done = 0
    while True:
        with transaction.atomic():
            ids = list(
                visits_due_for_anonymising(now)
                .select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                return done
            anonymise(ids)
            done += len(ids)


def anonymise(visit_ids) -> None:
    """Erases the personal data of these visits now (the sweep, or a data subject's
    request to delete)."""
    Visit.objects.filter(pk__in=visit_ids).update(
        constituent_name=ANONYMISED,
        constituent_phone="",
        constituent_address="",
        constituent_id_number="",
        anonymised_at=timezone.now(),
    )
    case_ids = list(Case.objects.filter(visit_id__in=visit_ids).values_list("pk", flat=True))
    constituent_notices(case_ids).update(address="", recipient_name="")


def constituent_notices(case_ids: list[int]):
    """The SMS these cases' constituents were sent, through the constituent rows' partial
    index (its condition repeated), not a scan of every notice ever sent."""
    return Notification.objects.filter(
        kind__in=TO_CONSTITUENT_KINDS,
        subject_id__in=case_ids,
        recipient_key__in=[f"case:{pk}" for pk in case_ids],
    )


def erase_words(visit_ids) -> None:
    """Erases what the person wrote in their own words, which may name them or others: the
    description of their cases and the comments on their ratings. Only on their request to
    delete: the sweep keeps the text for the archive. The title (the staff's summary),
    the replies and the outcome stay, so the figures do not change."""
    cases = Case.objects.filter(visit_id__in=visit_ids)
    cases.update(description=ANONYMISED)
    CaseRating.objects.filter(case__in=cases).exclude(comment="").update(comment="")


# DATA SUBJECT REQUESTS (PIPL articles 44–47): a person asks the committee to see, or to
# delete, the personal data kept under their phone. The committee logs the request, reads
# the visits found in its region (each read in the audit), and answers it, deletes the
# data (anonymises the visits, once their cases are all closed), or refuses with the
# reason. The request stays as the record.


def _committee_over(actor, region_code: str) -> None:
    if not scope_of(actor).covers_region(region_code):
        raise ValidationError({"region": [_("Choose a region of your committee.")]})


@transaction.atomic
def data_request_receive(
    *, actor, region_code: str, kind: str, name: str, phone: str, note: str = ""
) -> DataRequest:
    _committee_over(actor, region_code)
    request = DataRequest(
        region_id=region_code,
        kind=kind,
        name=(name or "").strip(),
        phone=normalize_phone(phone),
        note=(note or "").strip(),
        received_by=actor,
    )
    request.full_clean()
    request.save()
    return request


def data_request_visits(data_request: DataRequest):
    """The visits logged under the person's phone in the request's region."""
    return Visit.objects.filter(constituent_phone=data_request.phone).filter(
        within("region_id", subtree_bounds(data_request.region_id))
    )


def data_requests_visible_to(user):
    scope = scope_of(user)
    if scope.is_admin:
        return DataRequest.objects.all()
    if not scope.region_bounds:
        return DataRequest.objects.none()
    return DataRequest.objects.filter(in_regions("region_id", scope.region_bounds))


@transaction.atomic
def data_request_handle(*, actor, request_id: int, action: str, outcome: str) -> DataRequest:
    """``answer`` (what was shown or sent), ``delete`` (the visits anonymised) or
    ``refuse`` (with the reason); an open request only, and an outcome always."""
    data_request = data_requests_visible_to(actor).select_for_update().filter(pk=request_id).first()
    if data_request is None:
        raise DataRequest.DoesNotExist(request_id)
    if data_request.status != DataRequestStatus.OPEN:
        raise ValidationError(_("This request was handled already."))
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": [_("Write what was done, or why not.")]})
    visits = data_request_visits(data_request)
    data_request.visits_found = visits.count()
    if action == "answer":
        data_request.status = DataRequestStatus.ANSWERED
    elif action == "delete":
        if data_request.kind != DataRequestKind.DELETE:
            raise ValidationError(_("Only a request to delete deletes data."))
        open_cases = Case.objects.filter(visit__in=visits).exclude(step__in=CLOSED_STEPS)
        if open_cases.exists():
            raise ValidationError(
                _(
                    "Some of these visits have cases still open: delete the data once "
                    "they are closed, or withdraw them first."
                )
            )
        visit_ids = list(visits.values_list("pk", flat=True))
        anonymise(visit_ids)
        erase_words(visit_ids)
        data_request.status = DataRequestStatus.DELETED
    elif action == "refuse":
        data_request.status = DataRequestStatus.REFUSED
    else:
        raise ValidationError(_("Unknown action."))
    data_request.outcome = outcome
    data_request.handled_at, data_request.handled_by = timezone.now(), actor
    data_request.full_clean()
    data_request.save()
    return data_request
