"""Links reversed once per process.

``reverse()`` costs about 50 µs (the resolver's lookups, the arguments checked against
the pattern); a list page reversed its ledger's link and its rows' link pattern on every
request, for the same answer."""

import functools
import re

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


def reversed_once(name: str, *args) -> str:
    """``reverse(name, args=args)``, kept by everything else it depends on: the script
    prefix and the URLconf (the site's URLs have no language prefix)."""
    return _reversed(name, args, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=256)
def _reversed(name: str, args: tuple, _prefix: str, _urlconf) -> str:
    return reverse(name, args=args or None)


def reversed_fast(name: str, *args) -> str:
    """``reverse(name, args=args)`` for a row's links (a case's pk, a move's name): the
    link reversed once per process with marks in place of the arguments, the arguments
    written in. Arguments of other kinds than ids and plain names, and links that do not
    take marks, go through ``reverse`` itself, as do its errors."""
    kinds = tuple(_kind(arg) for arg in args)
    if None not in kinds:
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        parts = _with_marks(name, kinds, get_script_prefix(), urlconf)
        if parts is not None:
            return "".join(_interleave(parts, args))
    return reverse(name, args=args or None)


# An id (a non-negative int) is written as its digits, a plain name (lower-case letters,
# digits, underscores: a move's, a report's) as it is: neither needs quoting, and every
# converter of the site's URLs that takes the mark takes them.
_PLAIN = re.compile(r"[a-z0-9_]+")
_MARKS = {"id": "9173046285{}", "name": "zq_{}_mark"}


def _kind(arg) -> str | None:
    if type(arg) is int and arg >= 0:
        return "id"
    if type(arg) is str and _PLAIN.fullmatch(arg):
        return "name"
    return None


@functools.lru_cache(maxsize=512)
def _with_marks(name: str, kinds: tuple, _prefix: str, _urlconf) -> tuple | None:
    """The link split around its arguments' places, or None when ``reverse`` will not take
    the marks (a converter narrower than the kind) or a mark shows up elsewhere too."""
    marks = [_MARKS[kind].format(index) for index, kind in enumerate(kinds)]
    try:
        link = reverse(name, args=marks or None)
    except NoReverseMatch:
        return None
    parts = []
    for mark in marks:
        if link.count(mark) != 1:
            return None
        before, link = link.split(mark)
        parts.append(before)
    return (*parts, link)


def _interleave(parts: tuple, args: tuple):
    for part, arg in zip(parts, args, strict=False):
        yield part
        yield str(arg)
    yield parts[-1]
