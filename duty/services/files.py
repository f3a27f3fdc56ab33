"""Photos and documents of an activity: a minimal, safe upload.

The type is read from the file's first bytes (never trusted from the name or the
browser): JPEG, PNG, PDF, Word (.docx) or Excel (.xlsx); an image must also open with
Pillow. At most ``MAX_BYTES``. The file is written through Django's storage API to the
private storage (``STORAGES["private"]``, outside the media the proxy serves) under a
random name, and served only by the activity's staff page to users who may see the
activity (``duty/staff/activities.py``), as an attachment except for images and PDF.
"""

import secrets
import zipfile

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from duty.flow import ACTIVITIES
from duty.models import ActivityFile

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 20

OFFICE = {
    "word/": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def sniff(upload) -> tuple[str, str]:
    """(extension, content type) from the content, or a ValidationError."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n"):
        try:
            with Image.open(upload) as image:
                image.verify()
                kind = image.format
        except (UnidentifiedImageError, OSError, SyntaxError) as error:
            raise ValidationError({"file": [_("This image cannot be read.")]}) from error
        finally:
            upload.seek(0)
        return (".jpg", "image/jpeg") if kind == "JPEG" else (".png", "image/png")
    if head.startswith(b"%PDF-"):
        return ".pdf", "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile as error:
            raise ValidationError({"file": [_("This document cannot be read.")]}) from error
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            for prefix, found in OFFICE.items():
                if any(name.startswith(prefix) for name in names):
                    return found
    raise ValidationError(
        {"file": [_("Upload a photo (JPEG, PNG) or a document (PDF, Word, Excel).")]}
    )


@transaction.atomic
def activity_attach(*, activity_id: int, actor: AbstractBaseUser, file) -> ActivityFile:
    move = ACTIVITIES.start("attach", pk=activity_id, actor=actor)
    if file is None:
        move.error("file", _("Choose a file."))
    elif file.size > MAX_BYTES:
        move.error("file", _("A file may be at most 10 MB."))
    elif move.row.files.count() >= MAX_FILES:
        move.error("file", _("An activity has at most 20 files."))
    move.check()
    extension, content_type = sniff(file)
    name = (file.name or "file").replace("/", "_").replace("\\", "_")[-150:]
    attached = ActivityFile(
        activity=move.row,
        token=secrets.token_hex(16),
        extension=extension,
        name=name,
        content_type=content_type,
        size=file.size,
        uploaded_by=actor,
    )
    attached.file.save("upload", file, save=False)
    attached.save()
    # Nothing else of the row changes; the history says which file came.
    move.finish(note=name, data={"file": attached.pk, "type": content_type})
    return attached
