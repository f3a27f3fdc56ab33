"""Tracking codes a constituent can read over the phone: ABCD-EFGH-JK.

Ten characters from an alphabet without the look-alikes 0/O, 1/I/L give
31^10 ≈ 8×10^14 codes, drawn with ``secrets``: too many to guess, short
enough to dictate.
"""

import re
import secrets
import unicodedata

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 10
GROUPS = (4, 4, 2)
CODE_REGEX = r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}$"


def new_tracking_code() -> str:
    return group("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def group(raw: str) -> str:
    parts, start = [], 0
    for size in GROUPS:
        parts.append(raw[start : start + size])
        start += size
    return "-".join(parts)


def normalize(typed: str) -> str | None:
    """What a person typed (any case, spaces, full-width, dashes) as a stored code, or None."""
    raw = re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", typed or "").upper())
    if len(raw) != LENGTH or any(char not in ALPHABET for char in raw):
        return None
    return group(raw)
