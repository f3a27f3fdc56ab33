"""Giving a document its number: once per document, the next of its body's sequence."""

from django.db import IntegrityError, transaction

from liaison.base.documents.models import DocumentSequence, IssuedDocument
from liaison.base.regions import ancestor_codes


def issuing_sequence(*, region_code: str, year: int) -> DocumentSequence | None:
    """The sequence of the nearest body at or above ``region_code`` that numbers its
    documents this year (None: the letter leaves the number to be written by hand)."""
    codes = ancestor_codes(region_code)
    found = {
        s.region_id: s for s in DocumentSequence.objects.filter(region_id__in=codes, year=year)
    }
    return next((found[code] for code in reversed(codes) if code in found), None)


def document_issue(
    *, kind: str, subject_type: str, subject_id: int, sequence: DocumentSequence, actor
) -> IssuedDocument:
    """The document's number: the one it was given, or the next of ``sequence``."""
    existing = IssuedDocument.objects.filter(
        kind=kind, subject_type=subject_type, subject_id=subject_id
    ).select_related("sequence")
    if (found := existing.first()) is not None:
        return found
    try:
        with transaction.atomic():
            locked = DocumentSequence.objects.select_for_update().get(pk=sequence.pk)
            locked.last_number += 1
            locked.save(update_fields=["last_number"])
            return IssuedDocument.objects.create(
                sequence=locked,
                number=locked.last_number,
                kind=kind,
                subject_type=subject_type,
                subject_id=subject_id,
                issued_by=actor,
            )
    except IntegrityError:
        # Someone printed the same letter at the same moment: theirs is the number.
        return existing.get()
