"""Choice labels (``get_FOO_display()``) read from a dict built once per field.

Django's own builds the field's choices into a dict on every call, hashing each label on
the way, and hashing a lazy label translates it: a case page's four labels cost it some
forty translations. Here each field's labels are translated once per language and kept.
Fields whose choices are a callable (evaluated afresh each time) and models that define
their own ``get_FOO_display`` keep Django's.
"""

import functools
from functools import partialmethod

from django.apps import apps
from django.core.signals import setting_changed
from django.db.models import Model
from django.dispatch import receiver
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.translation import get_language


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


@functools.lru_cache(maxsize=1024)
def _labels(field, _language: str | None) -> dict:
    """The field's labels as text in the active language (the argument keys the cache)."""
    return {value: force_str(label, strings_only=True) for value, label in field.flatchoices}


def _display(self, field):
    value = getattr(self, field.attname)
    try:
        label = _labels(field, get_language()).get(value, _MISSING)
    except TypeError:  # an unhashable value (a list in a JSON field): Django's way
        return Model._get_FIELD_display(self, field)
    return force_str(value, strings_only=True) if label is _MISSING else label


_MISSING = object()


@receiver(setting_changed)
def _translations_changed(*, setting, **kwargs) -> None:
    # Django drops its catalogues on these (a test's override_settings): so do we.
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _labels.cache_clear()
