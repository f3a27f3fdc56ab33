"""Activities and reports to the voters as tables on the flow engine (liaison/base/flow.py).

An activity recorded by the committee, a station's liaison or a group's liaison is
confirmed at once; one recorded by a representative waits until one of those confirms
it (or returns it with a reason, and the representative corrects and submits it again).
Only confirmed activities count in the record and the quotas.
"""

from django.utils.translation import gettext_lazy as _

from duty.models import Activity, ActivityStatus, DutyReport, ReportStatus
from liaison.base.flow import Flow, Refusals, Transition, any_of
from liaison.base.scopes import scope_of

S = ActivityStatus


def organises(user, activity: Activity) -> bool:
    """The committee over the activity's region, the organising station's liaison, or the
    organising group's liaison: who records an activity, and who confirms one."""
    scope = scope_of(user)
    if scope.covers_region(activity.region_id):
        return True
    if activity.station_id is not None and activity.station_id in scope.station_ids:
        return True
    return activity.group_id is not None and activity.group_id in scope.group_ids


def recorder(user, activity: Activity) -> bool:
    return user is not None and activity.recorded_by_id == user.pk


def recorder_before_confirmation(user, activity: Activity) -> bool:
    return recorder(user, activity) and activity.status != S.CONFIRMED


def participant(user, activity: Activity) -> bool:
    rep = scope_of(user).representative_id
    return rep is not None and any(p.representative_id == rep for p in activity.participants.all())


def finds_cases(activity: Activity) -> bool:
    return activity.may_raise_cases


OPEN = frozenset({S.RECORDED, S.RETURNED, S.CONFIRMED})

ACTIVITIES = Flow(
    name="activity",
    model=Activity,
    step_field="status",
    refusals=Refusals(
        busy=_("Someone else is changing this activity; try again in a moment."),
        wrong_step=_("“%(action)s” is not possible for an activity that is “%(step)s”."),
        not_allowed=_("You may not “%(action)s” this activity."),
    ),
    closed=frozenset({S.WITHDRAWN}),
    transitions=(
        Transition("confirm", frozenset({S.RECORDED}), S.CONFIRMED, organises, _("Confirm")),
        Transition(
            "return",
            frozenset({S.RECORDED}),
            S.RETURNED,
            organises,
            _("Return for correction"),
            required=frozenset({"reason"}),
        ),
        Transition("resubmit", frozenset({S.RETURNED}), S.RECORDED, recorder, _("Submit again")),
        Transition(
            "edit",
            OPEN,
            None,
            any_of(organises, recorder_before_confirmation),
            _("Edit"),
        ),
        Transition(
            "attach",
            OPEN,
            None,
            any_of(organises, recorder, participant),
            _("Add a photo or document"),
        ),
        Transition(
            "raise_case",
            frozenset({S.CONFIRMED}),
            None,
            organises,
            _("Raise a finding as a case"),
            condition=finds_cases,
            condition_message=_("Only inspections, research, checks and visits raise cases."),
        ),
        Transition(
            "withdraw",
            OPEN,
            S.WITHDRAWN,
            any_of(organises, recorder_before_confirmation),
            _("Withdraw"),
            required=frozenset({"reason"}),
        ),
    ),
    other_events={"record": _("Recorded")},
)


def author(user, report: DutyReport) -> bool:
    return scope_of(user).representative_id == report.representative_id


R = ReportStatus

REPORTS = Flow(
    name="duty_report",
    model=DutyReport,
    step_field="status",
    refusals=Refusals(
        busy=_("Someone else is changing this report; try again in a moment."),
        wrong_step=_("“%(action)s” is not possible for a report that is “%(step)s”."),
        not_allowed=_("You may not “%(action)s” this report."),
    ),
    transitions=(
        Transition("edit", frozenset({R.DRAFT}), None, author, _("Edit")),
        Transition("publish", frozenset({R.DRAFT}), R.PUBLISHED, author, _("Publish")),
        Transition(
            "unpublish",
            frozenset({R.PUBLISHED}),
            R.DRAFT,
            author,
            _("Take off the public profile"),
        ),
    ),
    other_events={"draft": _("Drafted from the record")},
)
