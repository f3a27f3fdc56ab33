"""Attachments: one check of type and size for the staff form and the API, images
resized and stripped of their metadata (a phone photo carries where it was taken), the
file written through Django's storage API to the private storage, and read only by users
who may see what it is attached to (that subject's scope: a 404 otherwise).

The type is read from the content (duty/services/files.py ``sniff``: JPEG, PNG, PDF,
Word, Excel), never from the name or the browser.
"""

import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, router, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from duty.services.files import sniff
from liaison.base.compiled import CompiledQuery, instance_from_json, json_array
from stations.scopes import visits_visible_to
from suggestions.cases.scopes import cases_visible_to
from suggestions.proposals.scopes import suggestions_visible_to
from workarea.models import Attachment, Subject

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 20
# Longest side of a stored photo: a scanned letter stays readable, a phone photo shrinks.
MAX_PIXELS = 2000


@dataclass(frozen=True)
class SubjectKind:
    visible_to: Callable[..., QuerySet]
    page: str  # the staff page the form returns to


SUBJECTS = {
    Subject.VISIT: SubjectKind(visits_visible_to, "staff:visit-attachments"),
    Subject.CASE: SubjectKind(cases_visible_to, "staff:case-detail"),
    Subject.SUGGESTION: SubjectKind(suggestions_visible_to, "staff:suggestion-detail"),
}


def subject_visible(*, user, subject_type: str, subject_id: int) -> bool:
    kind = SUBJECTS.get(subject_type)
    return kind is not None and kind.visible_to(user).filter(pk=subject_id).exists()


def attachments_visible_to(user, subject_type: str, subject_id: int) -> QuerySet[Attachment]:
    if not subject_visible(user=user, subject_type=subject_type, subject_id=subject_id):
        return Attachment.objects.none()
    return Attachment.objects.filter(subject_type=subject_type, subject_id=subject_id)


def attachments_of(subject_type: str, subject_id: int) -> list[Attachment]:
    """The files of a subject the caller has already found in the user's scope, with
    what the attachments panel shows of them. On PostgreSQL the SQL is built once per
    process (``CompiledQuery``), and each row becomes the deferred instance the ORM
    would make."""
    compiled = _OF_SUBJECT.get(subject_type)
    if connection.vendor != "postgresql" or compiled is None:
        return list(Attachment.objects.filter(subject_type=subject_type, subject_id=subject_id))
    alias = router.db_for_read(Attachment) or "default"
    return [Attachment.from_db(alias, _SHOWN, row) for row in compiled.rows(subject_id)]


def files_read(case) -> ArraySubquery:
    """A case's files as the panel shows them, brought by the case page's case
    (``read_with_case_page``): an array of JSON objects, in the files' order."""
    files = Attachment.objects.filter(subject_type=Subject.CASE, subject_id=case)
    return json_array(files.order_by(*Attachment._meta.ordering), _SHOWN)


def files_brought(row) -> list[Attachment] | None:
    """The files ``row`` (the case page's case) brought along (``files_read``), or None
    when it brought none (read elsewhere, or not on PostgreSQL)."""
    brought = getattr(row, "page_files", None)
    if brought is None:
        return None
    alias = row._state.db or router.db_for_read(Attachment) or "default"
    return [instance_from_json(Attachment, alias, file) for file in brought]


# What the panel reads of a file, in the model's order (as ``from_db`` takes them).
_SHOWN = ("id", "token", "name", "content_type", "size", "uploaded_at")
_OF_SUBJECT = {
    kind: CompiledQuery(
        Attachment,
        lambda pk, kind=kind: Attachment.objects.filter(
            subject_type=kind, subject_id=pk
        ).values_list(*_SHOWN),
    )
    for kind in Subject.values
}


def validate_upload(file) -> tuple[str, str]:
    """(extension, content type) of an acceptable upload, or a ValidationError on ``file``."""
    if file is None:
        raise ValidationError({"file": [_("Choose a file.")]})
    if file.size > MAX_BYTES:
        raise ValidationError({"file": [_("A file may be at most 10 MB.")]})
    return sniff(file)


def _resized(file, extension: str) -> ContentFile:
    file.seek(0)
    with Image.open(file) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((MAX_PIXELS, MAX_PIXELS))
        out = io.BytesIO()
        if extension == ".jpg":
            image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
        else:
            image.save(out, "PNG", optimize=True)
    return ContentFile(out.getvalue())


@transaction.atomic
def attachment_add(*, actor, subject_type: str, subject_id: int, file) -> Attachment:
    """Attaches ``file`` to a subject the actor may see (else the subject is not found)."""
    if not subject_visible(user=actor, subject_type=subject_type, subject_id=subject_id):
        raise Attachment.DoesNotExist
    extension, content_type = validate_upload(file)
    existing = Attachment.objects.filter(subject_type=subject_type, subject_id=subject_id)
    if existing.count() >= MAX_FILES:
        raise ValidationError({"file": [_("At most 20 files may be attached.")]})
    content = _resized(file, extension) if content_type.startswith("image/") else file
    attached = Attachment(
        subject_type=subject_type,
        subject_id=subject_id,
        token=secrets.token_hex(16),
        extension=extension,
        name=(file.name or "file").replace("/", "_").replace("\\", "_")[-150:],
        content_type=content_type,
        size=content.size,
        uploaded_by=actor,
    )
    attached.file.save("upload", content, save=False)
    attached.save()
    return attached
