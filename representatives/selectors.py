"""Reads of representatives that need nothing but this app (a representative's stations
are read through stations/, which owns the seats)."""

from django.db.models import QuerySet

from representatives.models import Representative


def representatives_published() -> QuerySet[Representative]:
    """What the public directory may list: published representatives, in directory order."""
    return (
        Representative.objects.published().select_related("region").order_by("level", "name", "id")
    )
