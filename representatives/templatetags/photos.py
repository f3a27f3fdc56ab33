from django import template

from representatives.photos import photo_thumbnail

register = template.Library()


@register.filter
def thumbnail(photo, size: str = "profile") -> str | None:
    """``{{ rep.photo|thumbnail:"card" }}``: the resized photo's URL (made on first use)."""
    return photo_thumbnail(photo, size)
