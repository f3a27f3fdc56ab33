"""Representatives' photos at the sizes pages show, made with Pillow and kept in MEDIA.

An uploaded photo can be a 5 MB camera picture; a phone on a slow connection should
get a few kilobytes. ``photo_thumbnail`` makes a JPEG no larger than the size asked
(EXIF rotation applied, metadata dropped) next to the original, once: the admin
makes them when a photo is saved, and a page makes any that are missing on first use.
"""

import logging
from io import BytesIO
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

# Width × height boxes the pages use: the profile, and the directory's cards.
SIZES = {"profile": (320, 400), "card": (96, 120)}


def thumbnail_name(photo_name: str, size: str) -> str:
    path = PurePosixPath(photo_name)
    return str(path.parent / "thumbs" / f"{path.stem}-{size}.jpg")


def photo_thumbnail(photo, size: str = "profile") -> str | None:
    """The URL of the photo at ``size``, making the file if it is missing; None when
    there is no photo or it cannot be read as an image."""
    if not photo:
        return None
    name = thumbnail_name(photo.name, size)
    if not default_storage.exists(name):
        try:
            with photo.storage.open(photo.name, "rb") as source:
                default_storage.save(name, ContentFile(_resize(source, SIZES[size])))
        except (OSError, UnidentifiedImageError, Image.DecompressionBombError):
            logger.warning("photo %s could not be resized", photo.name)
            return None
    return default_storage.url(name)


def photo_thumbnails_make(photo) -> None:
    """Every size at once, when a photo is uploaded."""
    for size in SIZES:
        photo_thumbnail(photo, size)


def _resize(source, box: tuple[int, int]) -> bytes:
    with Image.open(source) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        image.thumbnail(box, Image.Resampling.LANCZOS)
        out = BytesIO()
        image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
        return out.getvalue()
