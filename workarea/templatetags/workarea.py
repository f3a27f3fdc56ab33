from django import template
from django.urls import reverse

from workarea.attachments import MAX_BYTES, attachments_of, attachments_visible_to

register = template.Library()


@register.inclusion_tag("workarea/attachments.html", takes_context=True)
def attachments(context, subject_type: str, subject_id: int, in_scope=False):
    """A subject's files and the upload form. ``in_scope``: the page found the subject in
    the user's scope just now (the case page), so its files are read without checking
    that again (``attachments_of``); otherwise the subject's visibility is checked here."""
    if in_scope:
        files = attachments_of(subject_type, subject_id)
    else:
        files = attachments_visible_to(context["request"].user, subject_type, subject_id)
    return {
        "files": list(files),
        "upload_url": reverse("staff:attachment-upload", args=[subject_type, subject_id]),
        "max_mb": MAX_BYTES // (1024 * 1024),
        "csrf_token": context.get("csrf_token"),
    }
