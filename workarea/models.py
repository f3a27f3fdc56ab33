from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Subject(models.TextChoices):
    """What a file may be attached to; who may see it is the subject's scope
    (workarea/attachments.py, ``SUBJECTS``)."""

    VISIT = "visit", _("visit")
    CASE = "case", _("case")
    SUGGESTION = "suggestion", _("representative suggestion")


def private_storage():
    """Files only users in scope may read (``STORAGES["private"]``)."""
    from liaison.base.private_files import private_storage

    return private_storage


def attachment_path(instance, filename: str) -> str:
    # Never the uploaded name on disk: a random name and the extension the content showed.
    return f"attachments/{instance.subject_type}/{instance.subject_id}/{instance.token}{instance.extension}"


class Attachment(models.Model):
    """A photo or document of a visit, a case (a scanned reply letter) or a suggestion, in
    the private storage, served only by ``attachment_file`` to users who may see its
    subject."""

    subject_type = models.CharField(_("attached to"), max_length=12, choices=Subject)
    subject_id = models.BigIntegerField(_("subject id"))
    token = models.CharField(max_length=32, unique=True, editable=False)
    extension = models.CharField(max_length=8, editable=False)
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage)
    name = models.CharField(_("name"), max_length=150)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="attachment_subject_idx")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class MessagePreference(models.Model):
    """How a user wants their in-app messages: also a daily email of what is unread."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="message_preference",
    )
    daily_digest = models.BooleanField(_("daily digest by email"), default=False)

    class Meta:
        verbose_name = _("message preference")
        verbose_name_plural = _("message preferences")
        indexes = [
            models.Index(
                fields=["user"], condition=models.Q(daily_digest=True), name="digest_users_idx"
            )
        ]

    def __str__(self) -> str:
        return str(self.user)
