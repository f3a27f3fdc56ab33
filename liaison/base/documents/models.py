"""Official documents' numbers (文号): each issuing body numbers its documents per year."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentSequence(models.Model):
    """The numbers one body gives its documents in one year, e.g. 长人联函〔2026〕12号.
    Set in the admin; the body is the congress committee of ``region``."""

    region = models.ForeignKey(
        "liaison.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="document_sequences",
    )
    issuer = models.CharField(
        _("issuing body"), max_length=100, help_text=_("As it signs, e.g. 长沙县人大常委会")
    )
    prefix = models.CharField(
        _("number prefix"), max_length=20, blank=True, help_text=_("e.g. 长人联函")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(
        _("last number given"), default=0, help_text=_("The next document gets one more.")
    )

    class Meta:
        verbose_name = _("document number sequence")
        verbose_name_plural = _("document number sequences")
        ordering = ["region_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="document_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.prefix}〔{self.year}〕"


class IssuedDocument(models.Model):
    """A number given to one document about one subject, given once: printing the letter
    again shows the same number."""

    sequence = models.ForeignKey(
        DocumentSequence,
        verbose_name=_("document number sequence"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=30)
    subject_type = models.CharField(_("subject type"), max_length=60)
    subject_id = models.BigIntegerField(_("subject id"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"], name="issued_document_once"
            ),
            models.UniqueConstraint(fields=["sequence", "number"], name="issued_document_number"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        sequence = self.sequence
        return f"{sequence.prefix}〔{sequence.year}〕{self.number}号"
