"""A file of the private storage (``STORAGES["private"]``) to a user a view has already
checked: the scope check always stays in Django, the bytes need not.

Without a proxy (``PRIVATE_MEDIA_INTERNAL_URL`` unset) Django streams the file from the
storage, whichever it is. Behind nginx the view answers with ``X-Accel-Redirect`` and
nginx sends the bytes: from the private-media folder for the filesystem storage
(``/_private/<name>``), or, for an S3-compatible store, from the bucket through a URL
signed for a few seconds (``/_private_s3/<bucket>/<key>?<signature>``), which nginx
forwards to the store's one fixed host (deploy/nginx.conf). The bucket stays private and
the file never passes through gunicorn.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, HttpResponse
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header


class PrivateStorage(LazyObject):
    """``STORAGES["private"]``, looked up when first used. A model field evaluates its
    storage once, at import: through this proxy it follows the setting when it changes
    (tests point it at a folder of their own, or at a bucket)."""

    def _setup(self):
        self._wrapped = storages["private"]


private_storage = PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs) -> None:
    if setting == "STORAGES":
        private_storage._wrapped = empty


def internal_location(file, *, content_type: str) -> str:
    """Where the proxy's internal location finds ``file``: its name in the folder, or the
    bucket, key and signature of a short-lived GET of the object."""
    if isinstance(file.storage, FileSystemStorage):
        return file.name
    # The store answers with the type the view checked, not the one it guessed at upload.
    signed = urlsplit(file.storage.url(file.name, parameters={"ResponseContentType": content_type}))
    return f"{signed.path.lstrip('/')}?{signed.query}"


def private_file_response(file, *, filename: str, content_type: str, inline: bool):
    """The response for ``file`` (a FieldFile of the private storage): images and PDF
    ``inline``, the rest downloaded as ``filename``; never cached, never sniffed."""
    internal = settings.PRIVATE_MEDIA_INTERNAL_URL
    if internal:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = internal + internal_location(file, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=not inline, filename=filename
        )
    else:
        response = FileResponse(
            file.open("rb"),
            as_attachment=not inline,
            filename=filename,
            content_type=content_type,
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
