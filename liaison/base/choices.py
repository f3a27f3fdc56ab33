"""Choice labels (``get_FOO_display()``) read from a dict built once per field.

Django's own builds the field's choices into a dict on every call, hashing each label on
the way, and hashing a lazy label translates it: a case page's four labels cost it some
forty translations. Here the dict of value to (lazy) label is built once per field and
the one label asked for is translated. Fields whose choices are a callable (evaluated
afresh each time) and models that define their own ``get_FOO_display`` keep Django's.
"""

import functools
from functools import partialmethod

from django.apps import apps
from django.db.models import Model
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str


def install() -> None:
    """Give every model's fields with fixed choices the display below (``ready``)."""
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.fields:
            name = f"get_{field.name}_display"
            current = model.__dict__.get(name)
            if not field.choices or not _is_djangos(current):
                continue
            if isinstance(field.choices, CallableChoiceIterator):
                continue
            setattr(model, name, partialmethod(_display, field=field))


def _is_djangos(method) -> bool:
    return isinstance(method, partialmethod) and method.func is Model._get_FIELD_display


@functools.cache
def _labels(field) -> dict:
    return dict(field.flatchoices)


def _display(self, field):
    value = getattr(self, field.attname)
    try:
        label = _labels(field).get(value, value)
    except TypeError:  # an unhashable value (a list in a JSON field): Django's way
        return Model._get_FIELD_display(self, field)
    return force_str(label, strings_only=True)
