"""Validators for what constituents and staff type: phones, ID numbers, plain text."""

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
# Landlines as people write them: 0731-84012345, 0731 8401 2345, 84012345.
LANDLINE_RE = re.compile(r"^(0[0-9]{2,3}-?)?[1-9][0-9]{6,7}(-[0-9]{1,6})?$")


def normalize_phone(value: str) -> str:
    """Full-width digits to ASCII, spaces and the +86 prefix dropped; a mobile number
    written in groups (139-0731-5566, +86-139…) loses its dashes."""
    value = unicodedata.normalize("NFKC", value or "").strip()
    value = re.sub(r"[\s()（）]", "", value)
    value = re.sub(r"^(\+86|0086)-?", "", value)
    grouped = value.replace("-", "")
    return grouped if MOBILE_RE.match(grouped) else value


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(normalize_phone(value)):
        raise ValidationError(
            _("Enter an 11-digit mainland mobile number, e.g. 13812345678."), code="mobile"
        )


def validate_phone(value: str) -> None:
    normalized = normalize_phone(value)
    if not (MOBILE_RE.match(normalized) or LANDLINE_RE.match(normalized)):
        raise ValidationError(
            _("Enter a mobile number (13812345678) or a landline (0731-84012345)."),
            code="phone",
        )


_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def validate_id_number(value: str) -> None:
    """Resident ID number (GB 11643): 18 characters with an ISO 7064 check digit."""
    value = unicodedata.normalize("NFKC", value or "").strip().upper()
    if not re.match(r"^[0-9]{17}[0-9X]$", value):
        raise ValidationError(_("An ID number has 18 characters."), code="id_number")
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        raise ValidationError(_("This ID number's check digit is wrong."), code="id_number")


def validate_plain_text(value: str) -> None:
    """Refuses control and invisible format characters, which only arrive by accident or attack."""
    for char in value or "":
        if char in "\n\r\t":
            continue
        if unicodedata.category(char) in {"Cc", "Cf"}:
            raise ValidationError(
                _("Remove the invisible control characters from this text."), code="control_chars"
            )


# Letters of any script (𠮷 and other rare characters included), combining marks, and
# the separators names use: the middle dot of minority and foreign names (·, •, ・), spaces.
_NAME_SEPARATORS = set(" ·•・．.-'")
_MARKUP_RE = re.compile(r"<\s*/?\s*[A-Za-z!?]")


def validate_person_name(value: str) -> None:
    for char in value or "":
        if char not in _NAME_SEPARATORS and unicodedata.category(char)[0] not in "LM":
            raise ValidationError(
                _("A name has letters only, with · between parts if needed."), code="name"
            )


def validate_no_markup(value: str) -> None:
    """Refuses HTML-like tags: what a form takes is shown as plain text, never as markup."""
    if _MARKUP_RE.search(value or ""):
        raise ValidationError(_("Write plain text, without HTML tags."), code="markup")


# Liaison stations date from the 2010s; nothing earlier is a visit, and a visit is logged
# on the day or planned at most a day ahead (a household visit typed in the night before).
EARLIEST_VISIT_YEAR = 2000


def validate_visit_time(value) -> None:
    """A visit's time: not before 2000, not after the end of tomorrow (Asia/Shanghai).
    The year is checked first, so that year 1 or 9999 never reaches time-zone arithmetic."""
    latest = timezone.localdate() + dt.timedelta(days=2)
    if value.year < EARLIEST_VISIT_YEAR or value.date() > latest:
        raise ValidationError(_("Give a time between 2000 and tomorrow."), code="visit_time")
    if timezone.localtime(value).date() >= latest:
        raise ValidationError(_("Give a time between 2000 and tomorrow."), code="visit_time")
