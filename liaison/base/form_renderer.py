"""Django's own form templates (django/forms/jinja2) rendered by Jinja2: the markup of
the template language's versions, up to blank lines, in about half the time. For the
pages that render many fields on every request: a case's or suggestion's move forms and
the lists' filters. Other forms keep Django's default renderer."""

from django.forms.renderers import Jinja2

FAST = Jinja2()
