"""Password rules of MLPS level 3: at least three of the four character classes, and not
the username (Django's validators add the length, common passwords and digits only)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = [
    re.compile(r"[a-z]"),
    re.compile(r"[A-Z]"),
    re.compile(r"[0-9]"),
    re.compile(r"[^a-zA-Z0-9]"),
]


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if sum(1 for pattern in CLASSES if pattern.search(password)) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_classes")
        username = (getattr(user, "username", "") or "").lower()
        if username and username in password.lower():
            raise ValidationError(
                _("The password may not contain the username."), code="password_username"
            )

    def get_help_text(self):
        return _(
            "Use at least three of: lower-case letters, upper-case letters, digits and symbols."
        )
