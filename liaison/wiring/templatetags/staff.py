from django import template
from django.utils.translation import gettext_lazy as _

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


@register.filter
def event_label(kind: str) -> str:
    """A timeline entry's name: the move's label from the flow table."""
    from suggestions.cases.flow import TRANSITIONS

    if kind in TRANSITIONS:
        return TRANSITIONS[kind].label
    return SYSTEM_EVENTS.get(kind, kind)


# Timeline entries that are not moves of the flow: the receive step and the sweeps' own.
SYSTEM_EVENTS = {
    "receive": _("Received"),
    "absorb": _("Took in a merged case"),
    "flag_unregistered": _("Flagged: not registered in time"),
    "flag_unassigned": _("Flagged: not assigned in time"),
    "remind_due_soon": _("Reminded: due soon"),
}
