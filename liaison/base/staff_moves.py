"""The staff pages' moves, one mechanism for every flow.

A flow's page module declares ``MovePages(flow, moves, id_argument)`` with one
``StaffMove(form, service)`` per transition. The row's page shows a form for each
move ``flow.available(user, row)`` allows now; posting one validates the form, runs
the service, and puts the service's field errors beside the fields they name (form
fields are named as the service's keywords). A refusal of the table (not this user,
not from this step, someone else holds the row) comes back as a message.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404
from django.shortcuts import redirect
from django.urls import get_script_prefix
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from liaison.base.flow import Flow, FlowError, Transition
from liaison.base.form_renderer import FAST
from liaison.base.pickers import PickerSelect

# Unbound move forms as rendered, by everything their HTML depends on (``html_key``):
# a row's page renders every move allowed now, and most of those forms are the same on
# every row. Bounded: the keys of forms with a row's values in them (initial values, a
# picker's parameters) grow with the rows viewed.
_RENDERED: dict[tuple, str] = {}
_RENDERED_MAX = 512


def _kept(key: tuple, render: Callable) -> str:
    """The HTML kept under ``key``, rendered (a SafeString, kept as is, not escaped again)
    and kept the first time."""
    html = _RENDERED.get(key)
    if html is None:
        if len(_RENDERED) >= _RENDERED_MAX:
            _RENDERED.clear()
        html = _RENDERED[key] = render()
    return html


class MoveForm(forms.Form):
    """A form for one move. What the flow table says must be written (``required``) is
    required here too, so the form and the service ask for the same fields."""

    # A row's page renders every move allowed now, a dozen fields or more.
    default_renderer = FAST

    def __init__(self, *args, row=None, user=None, transition: Transition | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.row, self.user = row, user
        for name in transition.required if transition else ():
            if name in self.fields:
                self.fields[name].required = True

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)

    # A form whose unbound HTML depends on the row only through a few of its values (its
    # initial values, its choices) names them: ``row_key(row)``, a classmethod returning
    # them as a tuple. A row's page then renders it from the HTML kept under them without
    # building it (``LazyMoveForm``, ``keyed_by_row``). It must name every such value:
    # tests/test_case_page.py renders each such form both ways.
    row_key = None

    def as_div(self):
        key = self.html_key()
        if key is None:
            return super().as_div()
        return _kept(key, super().as_div)

    def html_key(self) -> tuple | None:
        """Everything an unbound form's HTML depends on: its class and prefix, the language,
        and each field's kind, wording, requiredness, initial value, choices and widget
        attributes. None (rendered every time) for a bound form, and for a form that shows
        rows of the database (a model choice, a picker with something chosen, a model
        instance as a value), which may change without the key knowing."""
        if self.is_bound:
            return None
        key = [type(self), self.prefix, self.auto_id, self.label_suffix, self.renderer]
        key += [self.use_required_attribute, get_language(), get_script_prefix()]
        for name, field in self.fields.items():
            widget = field.widget
            initial = self.get_initial_for_field(field, name)
            picker = isinstance(widget, PickerSelect)
            if isinstance(field, forms.ModelChoiceField) and not picker:
                return None
            if picker and initial not in (None, "", [], ()):
                return None
            if isinstance(initial, Model):
                return None
            if isinstance(initial, list):
                initial = tuple(initial)
            choices = () if picker else _as_key(tuple(getattr(field, "choices", ())))
            key += [name, type(field), type(widget), field.required, field.disabled]
            key += [_as_key(field.label), _as_key(field.help_text), initial, choices]
            key += [tuple(widget.attrs.items()), getattr(widget, "format", None)]
            if picker:
                key += [widget.url_name, tuple(widget.params.items())]
        key = tuple(key)
        try:
            hash(key)
        except TypeError:  # a value of an unknown kind (a list among the choices)
            return None
        return key


class _Same:
    """A lazy text in a key, compared by identity. The language is in the key; hashing or
    comparing the text itself would translate it, every label and choice of five forms on
    every case page. The key holds the text, so no other can take its identity while the
    HTML is kept; a form that makes its labels afresh only misses the kept HTML."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text

    def __hash__(self):
        return id(self.text)

    def __eq__(self, other):
        return type(other) is _Same and other.text is self.text


def _as_key(value):
    if isinstance(value, Promise):
        return _Same(value)
    if type(value) is tuple or type(value) is list:
        return tuple(_as_key(item) for item in value)
    return value


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's field errors next to the field; the rest at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@dataclass(frozen=True)
class StaffMove:
    form: type[MoveForm]
    service: Callable


@dataclass(frozen=True)
class MovePages:
    """A flow's moves on the staff pages."""

    flow: Flow
    moves: dict[str, StaffMove]
    id_argument: str  # the services' keyword for the row's id, e.g. "case_id"

    def form(self, name: str, *, user, row, data=None) -> MoveForm:
        return self.moves[name].form(
            data, row=row, user=user, transition=self.flow[name], prefix=name
        )

    def context(self, *, user, row, bound: MoveForm | None = None, events=None) -> dict:
        """What the row's page shows of the flow: a form per move allowed now (the bound
        one, if a post failed, kept open), and the history with each entry's name (the
        row's ``events``, unless the page read them itself). The others are built when
        first used (``LazyMoveForm``): most are only rendered, from HTML already kept."""
        forms = [
            (
                transition,
                bound
                if bound is not None and bound.prefix == transition.name
                else LazyMoveForm(self, transition, user=user, row=row),
            )
            for transition in self.flow.available(user, row)
        ]
        return {
            "forms": forms,
            "open_form": bound.prefix if bound is not None else "",
            "timeline": self.flow.timeline(row.events.all() if events is None else events),
        }

    def perform(self, name: str, form: MoveForm):
        """Run the move for a valid form: the service's result, or False with its field
        errors beside the fields. The table's refusals (``FlowError``) propagate."""
        try:
            return self.moves[name].service(
                **{self.id_argument: form.row.pk}, actor=form.user, **form.service_kwargs()
            )
        except ValidationError as error:
            apply_errors(form, error)
            return False

    def post(self, request, *, row, name: str, detail: str, render_detail: Callable):
        """The POST of one move: done (a message and back to the page), refused (a message),
        or the page again with the form's errors (400). ``render_detail(bound)`` renders it."""
        if name not in self.moves:
            raise Http404
        form = self.form(name, user=request.user, row=row, data=request.POST)
        if form.is_valid():
            try:
                done = self.perform(name, form)
            except FlowError as error:
                messages.error(request, error.message)
                return redirect(detail, pk=row.pk)
            if done is not False:
                messages.success(
                    request, _("Done: %(action)s.") % {"action": self.flow[name].label}
                )
                return redirect(detail, pk=row.pk)
        return render_detail(form)


class LazyMoveForm:
    """A move's unbound form on a row's page, built only when something more than its
    HTML is asked of it. A form whose HTML depends on nothing but its class, prefix, the
    fields the transition requires and the language (``row_free``) is rendered from the
    HTML kept for those, without building it: building one deep-copies its fields, and a
    case page shows five."""

    def __init__(self, pages: MovePages, transition: Transition, *, user, row):
        self.prefix = transition.name
        self._make = lambda: pages.form(transition.name, user=user, row=row)
        self._class = pages.moves[transition.name].form
        self._required = tuple(sorted(transition.required))
        self._row = row
        self._form = None

    def as_div(self):
        if self._form is None:
            if row_free(self._class):
                of_row = None
            elif keyed_by_row(self._class):
                of_row = self._class.row_key(self._row)
            else:
                return self.form.as_div()
            key = ("row-free", self._class, self.prefix, self._required, of_row)
            key += (get_language(), get_script_prefix())
            return _kept(key, lambda: self.form.as_div())
        return self.form.as_div()

    @property
    def form(self) -> MoveForm:
        if self._form is None:
            self._form = self._make()
        return self._form

    def __str__(self):
        return self.as_div()

    __html__ = __str__

    def __getattr__(self, name):
        if name.startswith("_"):  # not built yet (a copy) or a private name: not the form's
            raise AttributeError(name)
        return getattr(self.form, name)


_FORM_HOOKS = ("__init__", "get_initial_for_field", "as_div", "html_key", "render", "get_context")


@functools.cache
def keyed_by_row(form_class: type[MoveForm]) -> bool:
    """Whether an unbound ``form_class``'s HTML depends on the row only through what its
    ``row_key(row)`` returns: the class that says so (defines ``row_key``) is the last
    between it and ``MoveForm`` with a hook of its own (``__init__`` and the like)."""
    for klass in form_class.__mro__:
        if klass is MoveForm:
            return False
        if "row_key" in vars(klass):
            return True
        if any(name in vars(klass) for name in _FORM_HOOKS):
            return False
    return False


@functools.cache
def row_free(form_class: type[MoveForm]) -> bool:
    """Whether an unbound ``form_class``'s HTML cannot depend on the row, the user or the
    day: no hook of the form's own between it and ``MoveForm`` (a subclass that sets
    initial values or choices from the row overrides ``__init__``), no field that shows
    rows of the database, and no initial value computed when the form is built."""
    for klass in form_class.__mro__:
        if klass is MoveForm:
            break
        if any(name in vars(klass) for name in _FORM_HOOKS):
            return False
    return not any(
        isinstance(field, forms.ModelChoiceField)
        or isinstance(field.widget, PickerSelect)
        or callable(field.initial)
        for field in form_class.base_fields.values()
    )
