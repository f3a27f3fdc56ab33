"""Attachments: the upload form's POST, the file itself (only to users in scope), and a
visit's page of files (visits have no other page of their own than the printed sheet)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.base.private_files import private_file_response
from stations.scopes import visits_visible_to
from workarea.attachments import SUBJECTS, attachment_add, subject_visible
from workarea.models import Attachment, Subject


@login_required
@require_POST
def attachment_upload(request, subject_type: str, subject_id: int):
    if subject_type not in SUBJECTS:
        raise Http404
    try:
        attachment_add(
            actor=request.user,
            subject_type=subject_type,
            subject_id=subject_id,
            file=request.FILES.get("file"),
        )
    except Attachment.DoesNotExist as error:
        raise Http404 from error
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        messages.success(request, _("File attached."))
    return redirect(SUBJECTS[subject_type].page, subject_id)


@login_required
def attachment_file(request, token: str):
    """The file, to a user who may see its subject: images and PDF inline, the rest
    downloaded. Behind the proxy (``PRIVATE_MEDIA_INTERNAL_URL``) nginx sends the bytes, from
    the folder or the bucket (liaison/base/private_files.py)."""
    attached = get_object_or_404(Attachment, token=token)
    if not subject_visible(
        user=request.user, subject_type=attached.subject_type, subject_id=attached.subject_id
    ):
        raise Http404
    return private_file_response(
        attached.file,
        filename=attached.name,
        content_type=attached.content_type,
        inline=attached.is_image or attached.content_type == "application/pdf",
    )


@login_required
def visit_files(request, pk: int):
    visit = get_object_or_404(
        visits_visible_to(request.user).select_related("station").prefetch_related("cases"),
        pk=pk,
    )
    return render(request, "workarea/visit_files.html", {"visit": visit, "subject": Subject.VISIT})
