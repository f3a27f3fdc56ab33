"""A searchable picker instead of an id box: a select that renders only what is chosen;
static/js/picker.js lets a person type a name and asks ``url`` (a server endpoint that
searches within the user's scope, workarea/pickers.py) for matches.

The form field is unchanged (an id, a code, a model choice), so the API and the staff
page keep one validation; the widget only decides what a person sees.
"""

from collections.abc import Callable, Iterable

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

Labels = Callable[[list[str]], dict[str, str]]


class PickerSelect(forms.Select):
    allow_multiple_selected = False

    def __init__(self, url_name: str, *, labels: Labels | None = None, attrs=None, params=None):
        super().__init__(attrs)
        self.url_name = url_name
        self.labels = labels
        # Narrow the search (e.g. {"case": 12}: the units that case may go to).
        self.params = dict(params or {})

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.url_name, copy.labels, copy.params = self.url_name, self.labels, dict(self.params)
        return copy

    def get_context(self, name, value, attrs):
        attrs = {
            **(attrs or {}),
            "data-picker": reverse(self.url_name)
            + (f"?{urlencode(self.params)}" if self.params else ""),
            "data-placeholder": str(_("Type a name to search")),
        }
        return super().get_context(name, value, attrs)

    def optgroups(self, name, value, attrs=None):
        chosen = [str(v) for v in value if v not in (None, "")]
        labels = self._labels_of(chosen)
        options = [] if self.allow_multiple_selected else [("", "---------", False)]
        options += [(v, labels[v], True) for v in chosen if v in labels]
        return [
            (None, [self.create_option(name, v, label, selected, i)], i)
            for i, (v, label, selected) in enumerate(options)
        ]

    def _labels_of(self, chosen: list[str]) -> dict[str, str]:
        if not chosen:
            return {}
        if self.labels is not None:
            return self.labels(chosen)
        # A model choice field: its own choices know the labels (iterated once).
        return {str(v): str(label) for v, label in _flat(self.choices) if str(v) in chosen}


class PickerSelectMultiple(PickerSelect):
    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        try:
            return data.getlist(name)
        except AttributeError:
            return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return False


def _flat(choices: Iterable) -> Iterable:
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield getattr(value, "value", value), label


def names_of(model_label: str, *, key: str = "pk", name: str = "name") -> Labels:
    """The labels of chosen values: ``name`` of the rows of ``model_label`` by ``key``.
    Directory names only (stations, units, regions, representatives are public)."""

    def labels(values: list[str]) -> dict[str, str]:
        model = apps.get_model(model_label)
        try:
            rows = model.objects.filter(**{f"{key}__in": values}).values_list(key, name)
            return {str(k): label for k, label in rows}
        except (ValueError, ValidationError):
            return {}

    return labels
