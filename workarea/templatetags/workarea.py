from django import template
from django.urls import reverse

from workarea.attachments import MAX_BYTES, attachments_visible_to

register = template.Library()


@register.inclusion_tag("workarea/attachments.html", takes_context=True)
def attachments(context, subject_type: str, subject_id: int):
    user = context["request"].user
    return {
        "files": list(attachments_visible_to(user, subject_type, subject_id)),
        "upload_url": reverse("staff:attachment-upload", args=[subject_type, subject_id]),
        "max_mb": MAX_BYTES // (1024 * 1024),
        "csrf_token": context.get("csrf_token"),
    }
