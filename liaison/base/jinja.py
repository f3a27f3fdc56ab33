"""The environment of the Jinja2 engine (templates under jinja2/): the frames of every
page and the long lists' rows, where the template language's cost per node shows.

Translations are Django's own: ``{{ _("…") }}`` is found by ``makemessages`` (it reads the
files as it reads the template language's, and ``_("…")`` constants are common to both).
Plurals and formatted strings are made in Python, where ``makemessages`` finds them."""

import markupsafe
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import defaultfilters
from django.templatetags.static import static
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, ngettext
from markupsafe import Markup

from jinja2 import Environment, Template, pass_context
from liaison.base.links import reversed_fast

try:  # MarkupSafe 3: escape is Python around this C (or pure Python) function
    from markupsafe import _escape_inner
except ImportError:  # MarkupSafe 2: escape is in C, nothing to gain
    _escape_inner = None


def environment(**options) -> Environment:
    # Django's backend passes autoescape=True in ``options`` unless told otherwise.
    options.setdefault("autoescape", True)
    env = Environment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701
    env.template_class = FastEscapeTemplate
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    # ``_("…")`` went through Jinja2's alias and its newstyle wrapper to Django's gettext:
    # 20 µs a call, more than a table row. The same result, kept per language.
    env.globals["_"] = env.globals["gettext"] = translated
    env.globals.update(url=url, static=static, **_ADDED)
    env.filters.update(date=date, linebreaksbr=linebreaksbr)
    return env


# What the layers above add (liaison/wiring/jinja_globals.py): every environment made has
# them, including one made again when a test changes TEMPLATES.
_ADDED: dict = {}


def add_globals(**functions) -> None:
    from django.template import engines

    _ADDED.update(functions)
    for engine in engines.all():
        if isinstance(getattr(engine, "env", None), Environment):
            engine.env.globals.update(functions)


def url(name: str, *args) -> str:
    # A case page's dozen links: ``reverse`` on each cost more than the rest of its body.
    return reversed_fast(name, *args)


def date(value, arg: str | None = None) -> str:
    """The template language's ``date`` filter, in the current time zone as there."""
    return defaultfilters.date(template_localtime(value), arg)


def linebreaksbr(value) -> str:
    """The template language's ``linebreaksbr``: the text escaped, its line breaks <br>."""
    return defaultfilters.linebreaksbr(value, autoescape=True)


def escape(value) -> str:
    """MarkupSafe's ``escape`` for a ``{{ … }}``, without its cost for text: ``Markup(text)``
    asks the text for an ``__html__`` it never has, and that failed lookup made up most of
    what a list's 400 escaped values cost (more than the rest of its rows' loop). Text
    comes back escaped as a plain ``str``: the compiled code only joins what it escapes
    into the output (a block ``set`` or a macro wraps its joined output in Markup itself),
    so it is never escaped again. Other values (numbers, dates, HTML) go through
    MarkupSafe's own."""
    if type(value) is str:
        return _escape_inner(value)
    return markupsafe.escape(value)


class FastEscapeTemplate(Template):
    """A template whose ``{{ … }}`` escape with ``escape`` above. The compiled code names
    the function it escapes with (``escape``, imported from Jinja2's runtime) among the
    template module's globals, and calls it only on what it outputs: they are replaced
    here, once per template loaded."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):
        if _escape_inner is not None and namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = escape
        return super()._from_namespace(environment, namespace, globals)


# Translated messages without variables, as ``translated`` returns them, by language,
# autoescaping and message. Bounded: a template may translate a variable's text.
_TRANSLATED: dict[tuple, str] = {}
_TRANSLATED_MAX = 2048


@pass_context
def translated(context, message: str, **variables) -> str:
    """Jinja2's newstyle ``gettext`` (``_("…")``) over Django's: the translation, Markup when
    autoescaping (not escaped again: a translation is HTML as the template's own text),
    always formatted with ``variables`` (``%%`` for a percent sign)."""
    autoescape = context.eval_ctx.autoescape
    if variables:
        return _as_html(gettext(message), autoescape) % variables
    key = (get_language(), autoescape, message)
    text = _TRANSLATED.get(key)
    if text is None:
        if len(_TRANSLATED) >= _TRANSLATED_MAX:
            _TRANSLATED.clear()
        text = _TRANSLATED[key] = _as_html(gettext(message), autoescape) % {}
    return text


def _as_html(text: str, autoescape: bool) -> str:
    # As Jinja2's newstyle gettext: the catalogue's text is the template's own, trusted.
    return Markup(text) if autoescape else text  # noqa: S704


@receiver(setting_changed)
def _translations_changed(*, setting, **kwargs) -> None:
    # Django drops its catalogues on these (a test's override_settings): so do we.
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _TRANSLATED.clear()
