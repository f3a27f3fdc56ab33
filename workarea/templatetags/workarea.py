from django import template
from django.urls import reverse

from workarea.attachments import MAX_BYTES, attachments_visible_to

register = template.Library()


@register.inclusion_tag("workarea/attachments.html", takes_context=True)
def attachments(context, subject_type: str, subject_id: int, files=None):
    """A subject's files and the upload form. ``files``: the subject's files, read by a
    page that found the subject in the user's scope (``attachments_of``); otherwise the
    subject's visibility is checked here."""
    if files is None:
        files = attachments_visible_to(context["request"].user, subject_type, subject_id)
    return {
        "files": list(files),
        "upload_url": reverse("staff:attachment-upload", args=[subject_type, subject_id]),
        "max_mb": MAX_BYTES // (1024 * 1024),
        "csrf_token": context.get("csrf_token"),
    }
