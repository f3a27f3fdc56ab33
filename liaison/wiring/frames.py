"""The frames around every page (jinja2/staff/frame_*.html, jinja2/public/frame_*.html).

Each frame is rendered by the Jinja2 engine once per language and per what else it shows
the same way to many requests (the sections a set of roles opens, the current section),
with markers for each request's values (liaison/base/shells.py): the template language
spent more on the staff header than a one-query page costs in all. The pages stay in the
template language; templates/base.html and templates/staff/base.html call these."""

from functools import cache

from django.conf import settings
from django.middleware.csrf import get_token
from django.template import engines
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language, get_language_info, gettext, ngettext

from liaison.base.scopes import scope_of
from liaison.base.shells import Shells, marker
from liaison.wiring.staff.nav import sections_for, sections_for_roles
from workarea import inbox


def staff_frame(request, part: str, csrf_token=None) -> str:
    """``csrf_token``: the page's own (its context's), so that a page with forms masks
    one token, not one for the header and another for the rest."""
    if part == "head":
        return _staff_heads.get(_place()).fill({})
    user = request.user
    if not user.is_authenticated:
        return _staff_headers.get((*_place(), None, None, False)).fill(_values(request, csrf_token))
    unread = inbox.unread_count(user)
    sections = sections_for(user)
    current = next((s["url"] for s in sections if s["url"] == request.path), None)
    shell = _staff_headers.get((*_place(), scope_of(user).roles, current, bool(unread)))
    return shell.fill(
        _values(request, csrf_token)
        | {
            "who": user.get_full_name() or user.username,
            "unread": inbox.unread_shown(unread),
            "unread_label": _unread_label(unread),
        }
    )


def _unread_label(unread: int) -> str:
    if unread >= inbox.UNREAD_COUNTED:
        return gettext("More than %(n)s unread") % {"n": inbox.UNREAD_COUNTED - 1}
    return ngettext("%(n)s unread", "%(n)s unread", unread) % {"n": unread}


def public_frame(request, part: str) -> str:
    """Without a CSRF token or anything else of the visitor's: the public pages are
    cached whole for every visitor (liaison/base/public_cache.py)."""
    # The footer's settings in the key: a changed one (a test's) renders it again.
    footer = (settings.SITE_CONGRESS_NAME, settings.SITE_CONTACT_PHONE, settings.SITE_ICP_NUMBER)
    shell = _public.get((*_place(), part, footer if part == "footer" else None))
    return shell.fill({"next": request.get_full_path()} if part == "header" else {})


def _place() -> tuple:
    """What a frame's links and words depend on besides the request."""
    return get_language(), get_script_prefix(), get_urlconf()


def _values(request, csrf_token=None) -> dict:
    return {
        # The backend's lazy token would mask a new one at each of the header's three uses.
        "csrf_token": get_token(request) if csrf_token is None else str(csrf_token),
        "next": request.get_full_path(),
        "query": request.GET.get("q", ""),
    }


def _render(name: str, context: dict) -> str:
    # Autoescaped (the backend turns autoescape on); the markers are SafeStrings.
    return engines["jinja2"].get_template(name).render(context)


def _staff_head(place: tuple) -> str:
    return _render("staff/frame_head.html", {"language": place[0]})


def _staff_header(key: tuple) -> str:
    language, _prefix, _urlconf, roles, current, unread = key
    context = {
        "language": language,
        "languages": languages(),
        "signed_in": roles is not None,
        "current": current,
        "sections": sections_for_roles(roles) if roles is not None else (),
        "unread": marker("unread") if unread else 0,
        **{name: marker(name) for name in ("csrf_token", "next", "query", "who", "unread_label")},
    }
    return _render("staff/frame_header.html", context)


def _public_part(key: tuple) -> str:
    language, _prefix, _urlconf, part, footer = key
    context = {"language": language, "languages": languages(), "next": marker("next")}
    if footer:
        context |= dict(zip(("congress", "phone", "icp"), footer, strict=True))
    return _render(f"public/frame_{part}.html", context)


_staff_heads = Shells(_staff_head)
_staff_headers = Shells(_staff_header)
_public = Shells(_public_part)


@cache
def languages() -> tuple[tuple[str, str], ...]:
    """Each language by its own name, as the language buttons show them."""
    return tuple((code, get_language_info(code)["name_local"]) for code, _ in settings.LANGUAGES)
