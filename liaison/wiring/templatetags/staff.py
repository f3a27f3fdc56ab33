from django import template

from liaison.wiring.staff.nav import sections_for

register = template.Library()


@register.inclusion_tag("staff/includes/nav.html", takes_context=True)
def staff_nav(context):
    request = context["request"]
    return {"sections": sections_for(request.user), "current": request.path}


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """The current query string with some parameters changed (sort links keep the filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    if "page" not in changes:
        params.pop("page", None)
    return params.urlencode()
