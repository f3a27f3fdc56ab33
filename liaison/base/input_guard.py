"""Input no page or API call should ever see, refused at the door with a 400.

- ``InputGuardMiddleware``: control characters (NUL and the other C0 codes but tab,
  newline and carriage return) in the query string, the form fields, the cookies or the
  headers. PostgreSQL refuses NUL in text, so such a value would otherwise reach the
  database as a 500 (a token lookup, a phone lookup) or, worse, be stored.
- ``GuardedJSONParser``: the API's JSON, with bounded size and depth (Python's parser
  recurses, so a 5,000-deep array is a RecursionError) and no NaN or Infinity; a string's
  control characters are its field's to refuse, with the field named (DRF's CharField
  refuses NUL, the models' plain-text validator the rest).
- ``IdField``: a related object named by a plain integer id; ``1.5``, ``true`` or
  ``"1.0"`` are not station 1.
"""

import json
import re

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_ID = 2**63 - 1


def has_control(value: str) -> bool:
    return bool(CONTROL.search(value))


def has_bad_values(request) -> bool:
    for query in (request.GET, request.COOKIES):
        for key, value in query.items() if hasattr(query, "items") else ():
            if has_control(key) or has_control(value):
                return True
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and has_control(value):
            return True
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        for key, values in request.POST.lists():
            if has_control(key) or any(has_control(value) for value in values):
                return True
    return False


class InputGuardMiddleware:
    """A request with a control character anywhere it is read is a 400, in the user's
    language, before any view or database sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_bad_values(request):
            message = _("The request contains control characters and was refused.")
            if request.path.startswith("/api/"):
                body = json.dumps({"detail": message, "code": "control_characters"})
                return HttpResponseBadRequest(body, content_type="application/json")
            page = render_to_string("400.html", {"message": message}, request=request)
            return HttpResponseBadRequest(page)
        return self.get_response(request)


def _depth(text: str, limit: int) -> bool:
    """Whether brackets nest deeper than ``limit`` (outside strings), without recursion."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _refuse_constant(name):
    raise ValueError(name)


class GuardedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read(settings.API_MAX_JSON_BYTES + 1) if stream else b""
        if len(raw) > settings.API_MAX_JSON_BYTES:
            raise ParseError(_("The request body is too large."))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError(_("The request body is not UTF-8.")) from None
        if _depth(text, settings.API_MAX_JSON_DEPTH):
            raise ParseError(_("The JSON is nested too deeply."))
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except ValueError:
            raise ParseError(_("The request body is not valid JSON.")) from None
        return data


class IdField(serializers.PrimaryKeyRelatedField):
    """A primary key given as an integer (or its decimal digits), nothing else."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str) and not (data.isascii() and data.isdigit()):
            self.fail("incorrect_type", data_type="str")
        if not 0 < int(data) <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(int(data))
