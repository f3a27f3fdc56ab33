"""The work area in the demo: the county committee's document numbers (文号) for the
year, and a scanned reply letter attached to a replied case. Seeded once."""

import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from liaison.base.documents.models import DocumentSequence
from liaison.base.models import Region
from liaison.wiring.demo.places import COUNTY
from suggestions.models import Case, Step
from workarea.attachments import attachment_add
from workarea.models import Attachment, Subject


def seed_workarea() -> None:
    county = Region.objects.get(code=COUNTY[0])
    DocumentSequence.objects.get_or_create(
        region=county,
        year=timezone.localdate().year,
        defaults={"issuer": f"{county.name}人大常委会", "prefix": "长人联函", "last_number": 11},
    )
    replied = Case.objects.filter(step=Step.REPLIED).order_by("pk").first()
    if replied is None or Attachment.objects.filter(subject_type=Subject.CASE).exists():
        return
    unit_clerk = get_user_model().objects.get(username="unit")
    attachment_add(actor=unit_clerk, subject_type=Subject.CASE, subject_id=replied.pk, file=_scan())


def _scan() -> SimpleUploadedFile:
    """A plain image standing for a scanned reply letter."""
    image = Image.new("RGB", (620, 877), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 580, 90), outline="black")
    for y in range(140, 760, 36):
        draw.line((60, y, 560, y), fill=(150, 150, 150), width=2)
    data = io.BytesIO()
    image.save(data, "PNG")
    return SimpleUploadedFile("reply-letter.png", data.getvalue(), content_type="image/png")
