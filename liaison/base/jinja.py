"""The environment of the Jinja2 engine (templates under jinja2/): the frames of every
page and the long lists' rows, where the template language's cost per node shows.

Translations are Django's own: ``{{ _("…") }}`` is found by ``makemessages`` (it reads the
files as it reads the template language's, and ``_("…")`` constants are common to both).
Plurals and formatted strings are made in Python, where ``makemessages`` finds them."""

from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext

from jinja2 import Environment


def environment(**options) -> Environment:
    # Django's backend passes autoescape=True in ``options`` unless told otherwise.
    options.setdefault("autoescape", True)
    env = Environment(extensions=["jinja2.ext.i18n"], **options)  # noqa: S701
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(url=url, static=static)
    env.filters.update(date=date, linebreaksbr=linebreaksbr)
    return env


def url(name: str, *args) -> str:
    return reverse(name, args=args or None)


def date(value, arg: str | None = None) -> str:
    """The template language's ``date`` filter, in the current time zone as there."""
    return defaultfilters.date(template_localtime(value), arg)


def linebreaksbr(value) -> str:
    """The template language's ``linebreaksbr``: the text escaped, its line breaks <br>."""
    return defaultfilters.linebreaksbr(value, autoescape=True)
