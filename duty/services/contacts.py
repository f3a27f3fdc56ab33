"""Fixed constituent contacts (固定联系群众) and each contact made.

The representative keeps their own list; the committee of the constituent's region may
correct it. Names, phones and addresses are personal data: nothing here logs them.
"""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duty.models import ContactMade, ContactWay, ContactYear, FixedContact
from liaison.base.flow import NotAllowed, clean_text, raise_errors
from liaison.base.models import Region
from liaison.base.regions import RegionLevel
from liaison.base.scopes import scope_of
from liaison.base.validators import normalize_phone, validate_phone
from representatives.models import Representative


def _may_keep(actor, representative_id: int, region_id: str | None) -> bool:
    scope = scope_of(actor)
    if scope.representative_id == representative_id:
        return True
    return region_id is not None and scope.covers_region(region_id)


def _clean(errors, *, name, phone, address, note, region):
    name = clean_text(errors, "name", name, max_length=50)
    address = clean_text(errors, "address", address, required=False, max_length=200)
    note = clean_text(errors, "note", note, required=False, max_length=200)
    phone = normalize_phone(phone or "")
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as error:
            errors["phone"] = error.messages
    if region is None or region.level not in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
        errors["region"] = [_("Choose the township or village where they live.")]
    return name, phone, address, note


@transaction.atomic
def fixed_contact_add(
    *,
    actor: AbstractBaseUser,
    representative: Representative,
    name: str,
    region: Region | None,
    phone: str = "",
    address: str = "",
    note: str = "",
) -> FixedContact:
    if not _may_keep(actor, representative.pk, getattr(region, "pk", None)):
        raise NotAllowed(_("You may not keep this representative's contacts."))
    errors: dict = {}
    name, phone, address, note = _clean(
        errors, name=name, phone=phone, address=address, note=note, region=region
    )
    raise_errors(errors)
    return FixedContact.objects.create(
        representative=representative,
        name=name,
        phone=phone,
        address=address,
        note=note,
        region=region,
    )


@transaction.atomic
def fixed_contact_update(
    *,
    contact_id: int,
    actor: AbstractBaseUser,
    name: str,
    region: Region | None,
    phone: str = "",
    address: str = "",
    note: str = "",
    active: bool = True,
) -> FixedContact:
    contact = FixedContact.objects.select_for_update().get(pk=contact_id)
    if not _may_keep(actor, contact.representative_id, contact.region_id):
        raise NotAllowed(_("You may not keep this representative's contacts."))
    errors: dict = {}
    name, phone, address, note = _clean(
        errors, name=name, phone=phone, address=address, note=note, region=region
    )
    raise_errors(errors)
    contact.name, contact.phone, contact.address, contact.note = name, phone, address, note
    contact.region, contact.active = region, active
    contact.save()
    return contact


@transaction.atomic
def contact_made_record(
    *, contact_id: int, actor: AbstractBaseUser, date: dt.date, way: str, note: str = ""
) -> ContactMade:
    """A contact with a fixed constituent: by the representative (or their committee)."""
    contact = FixedContact.objects.select_for_update().get(pk=contact_id)
    if not _may_keep(actor, contact.representative_id, contact.region_id):
        raise NotAllowed(_("You may not record this representative's contacts."))
    errors: dict = {}
    note = clean_text(errors, "note", note, required=False, max_length=500)
    if not isinstance(date, dt.date):
        errors["date"] = [_("Enter the date.")]
    elif date > timezone.localdate():
        errors["date"] = [_("A contact is recorded once it happened.")]
    if way not in ContactWay.values:
        errors["way"] = [_("Choose how you were in touch.")]
    if not contact.active:
        errors["contact"] = [_("This person is no longer on the list.")]
    raise_errors(errors)
    made = ContactMade.objects.create(
        contact=contact,
        representative_id=contact.representative_id,
        date=date,
        way=way,
        note=note,
        recorded_by=actor,
    )
    # The contact is locked above: no other write can race this count.
    tally, _created = ContactYear.objects.get_or_create(
        contact=contact, year=date.year, defaults={"representative_id": contact.representative_id}
    )
    ContactYear.objects.filter(pk=tally.pk).update(times=F("times") + 1)
    return made


def contact_years_rebuild(contacts=None) -> int:
    """Count the contacts made again into ``ContactYear``, for loaders that bulk-create
    contacts made (the demo, benchmarks, imports) and for the migration that adds it.
    ``contacts``: a queryset of fixed contacts (all when None). Returns the rows written."""
    made = ContactMade.objects.all()
    years = ContactYear.objects.all()
    if contacts is not None:
        made, years = made.filter(contact__in=contacts), years.filter(contact__in=contacts)
    with transaction.atomic():
        years.delete()
        rows = [
            ContactYear(
                contact_id=row["contact_id"],
                representative_id=row["representative_id"],
                year=row["year"],
                times=row["times"],
            )
            for row in made.annotate(year=ExtractYear("date"))
            .values("contact_id", "representative_id", "year")
            .annotate(times=Count("id"))
            .order_by()
            .iterator(chunk_size=5000)
        ]
        ContactYear.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
