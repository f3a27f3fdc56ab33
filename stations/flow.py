"""Reception days as one table on the flow engine (liaison/base/flow.py):
name → from-statuses → to-status → who may → what must be written.

Who may: whoever runs the station — its liaison, or a committee over its region (an
administrator acts as one) — and the system (the planner's command, a day moved
after a holiday was entered), acting with no user.
"""

from django.utils.translation import gettext_lazy as _

from liaison.base.flow import Flow, Refusals, Transition, any_of, system
from liaison.base.scopes import scope_of
from stations.models import ReceptionDay, ReceptionStatus

S = ReceptionStatus


def runs_station(user, day: ReceptionDay) -> bool:
    return scope_of(user).covers_station(day.station)


STATION = any_of(runs_station, system)

RECEPTION_DAYS = Flow(
    name="reception_day",
    model=ReceptionDay,
    step_field="status",
    refusals=Refusals(
        busy=_("Someone else is changing this reception day; try again in a moment."),
        wrong_step=_("“%(action)s” is not possible for a reception day that is “%(step)s”."),
        not_allowed=_("You may not “%(action)s” this reception day."),
    ),
    closed=frozenset({S.HELD, S.CANCELLED}),
    lock_related=("station",),
    transitions=(
        # The plan becomes public: on the station's schedule, in the iCal feeds, and its
        # notice goes out on the notice date.
        Transition("publish", frozenset({S.PLANNED}), S.PUBLISHED, STATION, _("Publish")),
        # Back to editing, allowed only while no notice has gone out.
        Transition("unpublish", frozenset({S.PUBLISHED}), S.PLANNED, STATION, _("Unpublish")),
        Transition("hold", frozenset({S.PUBLISHED}), S.HELD, STATION, _("Mark as held")),
        Transition(
            "cancel",
            frozenset({S.PLANNED, S.PUBLISHED}),
            S.CANCELLED,
            STATION,
            _("Cancel the day"),
            required=frozenset({"reason"}),
        ),
        # Date, times, place, notice lead; and who is on duty. The status stays.
        Transition("edit", frozenset({S.PLANNED}), None, STATION, _("Edit")),
        Transition("set_duty", frozenset({S.PLANNED}), None, STATION, _("Put on duty")),
    ),
)
