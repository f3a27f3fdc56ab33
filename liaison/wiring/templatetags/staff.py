from django import template
from django.template import engines
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext

from liaison.base.filtering import filters_asked
from liaison.base.form_renderer import FAST
from liaison.base.links import reversed_once
from liaison.wiring import frames

register = template.Library()

# Rendered filter forms with nothing filtered, by language, filterset and what else the
# form shows (the filterset's ``form_key()``): a form of 25 widgets costs more to render
# than the rest of a list page, and it is the same for every user.
_BLANK_FORMS: dict[tuple, str] = {}
_BLANK_FORMS_MAX = 64


@register.simple_tag(takes_context=True)
def staff_frame(context, part: str):
    """The staff frame's head or header (liaison/wiring/frames.py), with the page's CSRF
    token (the context's, masked once for the page)."""
    return frames.staff_frame(context["request"], part, context.get("csrf_token"))


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """The current query string with some parameters changed (sort links keep the filters)."""
    return query_with(context["request"], **changes)


def query_with(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params[key] = value
    if "page" not in changes:
        params.pop("page", None)
    return params.urlencode()


@register.simple_tag(takes_context=True)
def list_tools(context):
    """A listing's row count and its sort links (jinja2/staff/list_tools.html)."""
    return compiled("staff/list_tools.html", **_tools(context["listing"], context["request"]))


def _tools(listing, request) -> dict:
    """What jinja2/staff/list_tools.html shows of a listing: its count and sorts."""
    paginator = listing.page.paginator
    if getattr(paginator, "capped", False):  # a BoundedPaginator's
        count = gettext("More than 10,000")
    else:
        count = ngettext("%(n)s row", "%(n)s rows", paginator.count) % {"n": paginator.count}
    sorts = [
        (sort[0], None if key == listing.sort else f"?{query_with(request, sort=key)}")
        for key, sort in listing.sorts.items()
    ]
    return {"count": count, "sorts": sorts}


@register.simple_tag(takes_context=True)
def page_links(context, page):
    """The links to a list's other pages; they keep the query's filters
    (jinja2/staff/page_links.html)."""
    if not page.has_other_pages():
        return ""
    return compiled("staff/page_links.html", **_links(page, context["request"]))


def _links(page, request) -> dict:
    """What jinja2/staff/page_links.html shows of a page with others."""
    return {
        "previous": f"?{query_with(request, page=page.previous_page_number())}"
        if page.has_previous()
        else None,
        "next": f"?{query_with(request, page=page.next_page_number())}"
        if page.has_next()
        else None,
        "where": gettext("Page %(number)s of %(total)s")
        % {"number": page.number, "total": page.paginator.num_pages},
    }


def case_list(context):
    """The case lists' page body (jinja2/staff/case_list.html): its heading, filter form,
    count and sorts, table and page links in one Jinja2 rendering, from the page's
    context (called by jinja2/staff/cases/list_page.html through
    liaison/wiring/jinja_globals.py). ``case_rows``: the page's rows (``as_rows``);
    ``units``: names shown beside the title; ``overdue_page``: no ledger link."""
    listing, request = context["listing"], context["request"]
    page = listing.page
    ledger = None
    if not context.get("overdue_page"):
        ledger = f"{reversed_once('staff:figures-ledger', 'cases')}?{request.GET.urlencode()}"
    return compiled(
        "staff/case_list.html",
        title=context["title"],
        units=context.get("units"),
        filters=filter_fields(listing.filter) if listing.filter is not None else "",
        sort=listing.sort,
        ledger=ledger,
        rows=context["case_rows"],
        selectable=False,
        key=gettext("Key"),
        pages=page.has_other_pages(),
        **_tools(listing, request),
        **(_links(page, request) if page.has_other_pages() else {}),
    )


@register.simple_tag
def filter_fields(filterset):
    """A filterset's fields as the list pages show them. A form with no filter in the
    query (unbound, or only ``sort`` and ``page``, hence valid) is rendered once per
    process for each ``form_key()`` its filterset gives, and its form is not even built;
    without that method it is rendered every time. A filterset that fills in defaults
    tells what the query asked in ``asked`` (``UnitCaseFilter``)."""
    key_of = getattr(filterset, "form_key", None)
    asked = getattr(filterset, "asked", filterset.data)
    blank = not filterset.is_bound or not filters_asked(type(filterset), asked)
    if key_of is None or not blank:
        return _render_fields(filterset.form)
    key = (type(filterset), get_language(), get_script_prefix(), key_of())
    html = _BLANK_FORMS.get(key)
    if html is None:
        if len(_BLANK_FORMS) >= _BLANK_FORMS_MAX:
            _BLANK_FORMS.clear()
        # A SafeString, as rendered: kept as is, not escaped again.
        html = _render_fields(filterset.form)
        _BLANK_FORMS[key] = html
    return html


def _render_fields(form) -> str:
    form.renderer = FAST
    return render_to_string("staff/includes/filter_fields.html", {"form": form})


@register.simple_tag
def compiled(template_name: str, **context):
    """A fragment rendered by the Jinja2 engine (templates under jinja2/): a loop over
    many rows costs a tenth of the template language's."""
    html = engines["jinja2"].get_template(template_name).render(context)
    # Jinja2 escaped every value (the backend turns autoescape on): HTML as it stands.
    return mark_safe(html)  # noqa: S308
