"""Pieces the filtersets of every app share (the API's and the staff lists')."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _


class AnyYesNo(forms.NullBooleanSelect):
    """A yes/no filter whose empty choice reads "any", not Django's "unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", _("Any")), ("true", _("Yes")), ("false", _("No"))]


class YesNoFilter(django_filters.BooleanFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AnyYesNo)
        super().__init__(*args, **kwargs)
