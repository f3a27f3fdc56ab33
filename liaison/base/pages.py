"""Staff pages rendered whole by Jinja2 (templates under jinja2/ that extend
staff/page.html): the busiest pages — the case lists, the unit page and a case — where
the template language's page around a Jinja2 body cost a tenth of the request.

The frame and the parts that come from the layers above (the header, a case's files) are
Jinja2 globals that ``liaison.wiring`` registers (``jinja_globals``); a view here needs
nothing of them."""

import sys

from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines


def jinja_page(request, template_name: str, context: dict, *, status: int = 200) -> HttpResponse:
    """``template_name`` rendered with ``context``, the request, its messages and one CSRF
    token for every form of the page (the frame's, the body's)."""
    context = {
        **context,
        "request": request,
        "csrf_token": get_token(request),
        "messages": get_messages(request),
    }
    template = engines["jinja2"].get_template(template_name)
    response = HttpResponse(template.render(context), status=status)
    _rendered(template, context)
    return response


def _rendered(template, context: dict) -> None:
    # Django's test client reads a page's context (``response.context``) from the signal
    # the template language sends while tests run; Jinja2 sends none, so it is sent here.
    # Outside tests the module is not even loaded.
    signals = sys.modules.get("django.test.signals")
    if signals is not None:
        signals.template_rendered.send(sender=type(template), template=template, context=context)
