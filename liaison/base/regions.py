"""The national division code (统计用区划代码): 12 digits, prefix-hierarchical.

province PP0000000000 · city PPCC00000000 · county PPCCDD000000 ·
township PPCCDDTTT000 · village PPCCDDTTTVVV. A region's subtree is every code
between its prefix padded with 0s and its prefix padded with 9s, so a subtree
query is a range scan on a plain b-tree index, on any database.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.functions import Right
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

CODE_RE = re.compile(r"^[0-9]{12}$")


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
    TOWNSHIP = "township", _("Township / street")
    VILLAGE = "village", _("Village / community")


# Significant digits of the code at each level; the rest are zeros.
PREFIX_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.CITY: 4,
    RegionLevel.COUNTY: 6,
    RegionLevel.TOWNSHIP: 9,
    RegionLevel.VILLAGE: 12,
}
LEVEL_ORDER = list(PREFIX_LENGTH)


def validate_code(code: str) -> None:
    if not isinstance(code, str) or not CODE_RE.match(code):
        raise ValidationError(
            _("A division code is exactly 12 digits, e.g. 430121000000."), code="division_code"
        )


URBAN_RURAL_RE = re.compile(r"^[12][0-9]{2}$")


def validate_urban_rural(value: str) -> None:
    """城乡分类代码: three digits, 1xx urban and 2xx rural (111 main urban area, 220 village)."""
    if value and not URBAN_RURAL_RE.match(value):
        raise ValidationError(
            _("An urban/rural code is 3 digits, e.g. 111 or 220."), code="urban_rural"
        )


def level_of(code: str) -> RegionLevel:
    """The level a well-formed code denotes, read off its trailing zeros."""
    validate_code(code)
    for level, length in PREFIX_LENGTH.items():
        if code[length:] == "0" * (12 - length):
            return level
    raise AssertionError("unreachable: village length is 12")


def prefix_of(code: str, level: str | None = None) -> str:
    return code[: PREFIX_LENGTH[RegionLevel(level or level_of(code))]]


def subtree_bounds(code: str, level: str | None = None) -> tuple[str, str]:
    prefix = prefix_of(code, level)
    return prefix.ljust(12, "0"), prefix.ljust(12, "9")


def parent_code(code: str) -> str | None:
    index = LEVEL_ORDER.index(level_of(code))
    if index == 0:
        return None
    length = PREFIX_LENGTH[LEVEL_ORDER[index - 1]]
    return code[:length].ljust(12, "0")


def level_q(field: str, level: str) -> models.Q:
    """A condition that ``field`` holds a code of ``level``, usable in a CheckConstraint.

    On a foreign key to Region (whose column is the code) pass the field's name,
    ``"region"``, not ``"region_id"``: model validation only evaluates names it knows.

    A code is of level L when its digits past L's prefix are zeros and the part
    L adds to its parent's prefix is not.
    """
    index = LEVEL_ORDER.index(RegionLevel(level))
    length = PREFIX_LENGTH[LEVEL_ORDER[index]]
    q = models.Q(_zeros(field, 12 - length)) if length < 12 else models.Q()
    if index > 0:
        q &= ~models.Q(_zeros(field, 12 - PREFIX_LENGTH[LEVEL_ORDER[index - 1]]))
    return q


def _zeros(field: str, count: int) -> Exact:
    return Exact(Right(F(field), count), "0" * count)


def ancestor_codes(code: str) -> list[str]:
    """Codes from the province down to ``code``, ``code`` included."""
    codes: list[str] = []
    current: str | None = code
    while current:
        codes.append(current)
        current = parent_code(current)
    return codes[::-1]


def within(lookup: str, bounds: tuple[str, str]) -> models.Q:
    """``lookup`` (a code column, or a foreign key to Region) inside a subtree's bounds.

    Written as two comparisons because Django has no ``__range`` on foreign keys;
    the database sees the same index range scan.
    """
    low, high = bounds
    return models.Q(**{f"{lookup}__gte": low, f"{lookup}__lte": high})
