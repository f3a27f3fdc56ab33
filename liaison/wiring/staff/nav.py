"""The staff navigation, as data: one entry per section, shown to the roles listed.

Adding a section is adding one ``Section`` to ``SECTIONS``.
"""

from dataclasses import dataclass

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from liaison.base.roles import Role
from liaison.base.scopes import scope_of

EVERY_ROLE = frozenset(Role.values)
RUNS_STATIONS = frozenset({Role.LIAISON, Role.COMMITTEE, Role.ADMIN})
COMMITTEE = frozenset({Role.COMMITTEE, Role.ADMIN})
UNIT = frozenset({Role.UNIT})
REPRESENTATIVE = frozenset({Role.REPRESENTATIVE})
FIGURES = frozenset({Role.COMMITTEE, Role.ADMIN, Role.UNIT})
# A representative reaches their duty record, activities, contacts and availability from
# "My duty days" (templates/staff/representative.html), which keeps their menu short.
DUTY = frozenset({Role.COMMITTEE, Role.ADMIN, Role.LIAISON, Role.GROUP})
GROUPS = frozenset({Role.COMMITTEE, Role.ADMIN, Role.GROUP})


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    roles: frozenset[str]


SECTIONS: list[Section] = [
    Section(_("My work"), "staff:home", EVERY_ROLE),
    Section(_("Reception desk"), "staff:reception-console", RUNS_STATIONS),
    Section(_("Reception plan"), "staff:reception-plan", RUNS_STATIONS),
    Section(_("Visits"), "staff:visit-list", RUNS_STATIONS),
    Section(_("Inbox"), "staff:inbox", COMMITTEE),
    Section(_("Cases"), "staff:case-list", EVERY_ROLE),
    Section(_("Overdue"), "staff:overdue", COMMITTEE),
    Section(_("Call-backs"), "staff:case-callbacks", COMMITTEE),
    Section(_("Personal data requests"), "staff:data-requests", COMMITTEE),
    Section(_("My unit"), "staff:unit", UNIT),
    Section(_("My duty days"), "staff:representative", REPRESENTATIVE),
    Section(_("Suggestion inbox"), "staff:suggestion-inbox", COMMITTEE),
    Section(_("Suggestions for my unit"), "staff:suggestion-unit", UNIT),
    Section(_("My suggestions"), "staff:suggestion-mine", REPRESENTATIVE),
    Section(_("My figures"), "staff:figures-mine", REPRESENTATIVE),
    Section(_("Suggestions"), "staff:suggestion-list", RUNS_STATIONS | UNIT),
    Section(_("Figures"), "staff:figures", FIGURES | frozenset({Role.LIAISON})),
    Section(_("Suggestion figures"), "staff:suggestion-reports", FIGURES),
    Section(_("Excellent suggestions"), "staff:suggestion-excellent", COMMITTEE),
    Section(_("Duty records"), "staff:duty", DUTY),
    Section(_("Activities"), "staff:duty-activities", DUTY),
    Section(_("Fixed contacts"), "staff:duty-contacts", COMMITTEE),
    Section(_("Representative groups"), "staff:duty-groups", GROUPS),
    # A representative reaches the projects they supervise and the votes from "My duty days".
    Section(_("Livelihood projects"), "staff:projects", RUNS_STATIONS | UNIT),
    Section(_("Go-live checklist"), "staff:go-live", frozenset({Role.ADMIN})),
    Section(_("Imports"), "staff:imports", frozenset({Role.ADMIN})),
]


def sections_for(user) -> list[dict]:
    """The sections the user's roles open, with their links."""
    return sections_for_roles(scope_of(user).roles)


def sections_for_roles(roles: frozenset) -> list[dict]:
    """The sections a set of roles opens, with their links. The links are found once per
    set of roles (and URL prefix) in each process: the header of every staff page shows
    them. The labels stay lazy, translated as each page renders."""
    key = (roles, get_script_prefix(), get_urlconf())
    sections = _SECTIONS_BY_ROLES.get(key)
    if sections is None:
        sections = tuple(
            (section.label, reverse(section.url_name))
            for section in SECTIONS
            if roles & section.roles
        )
        _SECTIONS_BY_ROLES[key] = sections
    return [{"label": label, "url": url} for label, url in sections]


# At most one entry per combination of roles and URL prefix: a few dozen.
_SECTIONS_BY_ROLES: dict[tuple, tuple] = {}
