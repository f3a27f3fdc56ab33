from django import template
from django.template import engines
from django.template.defaultfilters import filesizeformat
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext

from liaison.base.links import reversed_fast
from workarea.attachments import (
    MAX_BYTES,
    attachments_of,
    attachments_visible_to,
    files_brought,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def attachments(context, subject_type: str, subject_id: int, in_scope=False, row=None):
    """A subject's files and the upload form, rendered by Jinja2 (jinja2/workarea/
    attachments.html: the template language's inclusion cost as much as the case page's
    files query). ``in_scope``: the page found the subject in the user's scope just now
    (the case page), so its files are read without checking that again
    (``attachments_of``); otherwise the subject's visibility is checked here. ``row``:
    the page's subject, which may have brought its files along (``files_brought``)."""
    if row is not None and (brought := files_brought(row)) is not None:
        files = brought
    elif in_scope:
        files = attachments_of(subject_type, subject_id)
    else:
        files = attachments_visible_to(context["request"].user, subject_type, subject_id)
    upload_url = reversed_fast("staff:attachment-upload", subject_type, subject_id)
    # Formatted here, where ``makemessages`` finds it.
    help_text = gettext(
        "JPEG, PNG, PDF, Word or Excel, at most %(max_mb)s MB; photos are resized."
    ) % {"max_mb": MAX_BYTES // (1024 * 1024)}
    html = (
        engines["jinja2"]
        .get_template("workarea/attachments.html")
        .render(
            {
                "files": [(file, filesizeformat(file.size)) for file in files],
                "upload_url": upload_url,
                "field_id": slugify(upload_url),
                "help": help_text,
                "csrf_token": context.get("csrf_token"),
            }
        )
    )
    return mark_safe(html)  # noqa: S308 (autoescaped by Jinja2)
