"""Fragments rendered once with markers where each request's values go.

A page's frame is the same for every request but for a few values (the CSRF token, the
user's name, the path): rendered by the Jinja2 engine with a marker in each of those
places, it is split at the markers once per process and each request only joins the
pieces with its values, escaped. The frame of a staff page cost more to render than a
one-query page costs in all."""

import re
from collections.abc import Callable, Hashable

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

# NUL is in no template, translation or setting a shell is rendered from; the values
# put in are not split again.
_MARKER = re.compile("\x00([a-z_]+)\x00")


def marker(name: str) -> SafeString:
    """What the fragment is rendered with in place of ``name``'s value."""
    return mark_safe(f"\x00{name}\x00")  # noqa: S308 (a marker, replaced before output)


class Shell:
    def __init__(self, html: str):
        # Text, name, text, name, …, text.
        self.pieces = _MARKER.split(html)

    def fill(self, values: dict) -> SafeString:
        pieces = self.pieces
        out = [pieces[0]]
        for i in range(1, len(pieces), 2):
            # Values are escaped unless they are already HTML (SafeString).
            out.append(conditional_escape(values[pieces[i]]))
            out.append(pieces[i + 1])
        return mark_safe("".join(out))  # noqa: S308 (escaped values in rendered HTML)


class Shells:
    """Shells by key (a language, a set of roles…), each rendered at its first use."""

    def __init__(self, render: Callable[[Hashable], str], *, most: int = 256):
        self.render, self.most = render, most
        self._by_key: dict[Hashable, Shell] = {}

    def get(self, key: Hashable) -> Shell:
        shell = self._by_key.get(key)
        if shell is None:
            if len(self._by_key) >= self.most:
                self._by_key.clear()
            shell = self._by_key[key] = Shell(self.render(key))
        return shell
