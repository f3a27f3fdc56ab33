"""Changes to representatives made by hand (the admin; imports will come here too)."""

from django.db import transaction

from representatives.models import Representative
from representatives.photos import photo_thumbnails_make


@transaction.atomic
def representative_save(*, representative: Representative, photo_changed: bool) -> Representative:
    """Save a representative; a new photo gets its page-sized copies at once, so that no
    visitor's request is the one that makes them."""
    representative.save()
    if photo_changed and representative.photo:
        # After commit: a rolled-back save leaves no orphan thumbnails behind.
        photo = representative.photo
        transaction.on_commit(lambda: photo_thumbnails_make(photo))
    return representative
