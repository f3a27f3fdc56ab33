"""Every figure of the office, defined once: its key, its Chinese label, the one-line
explanation shown on hover, and how it is counted.

Case figures count the cohort of the period: the cases *received* in it (merged
duplicates left out, since they are answered with another), and what has become of
them by now. That is how the documents report ("收集 4320 条, 交办转办 4222 条, 办结
3935 条"). The same condition counts the roll-ups (``rollups.py``), the live totals of
a representative's cases, and — through ``drill`` — the staff case list behind each
number, so a figure and its list always agree.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from suggestions.cases.models import CLOSED_STEPS, CaseQuerySet
from suggestions.cases.selectors import ASSIGNED
from suggestions.models import ReplyResult, Satisfaction, Step

# Every case figure leaves out merged duplicates.
COUNTED = ~Q(step=Step.MERGED)
SATISFIED = [Satisfaction.SATISFIED, Satisfaction.BASIC]


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    help: str
    # cases: a roll-up column of CaseDay; stations: of StationDay; now: a live count of
    # open cases today (no period); talks: confirmed 宣讲 activities; rate: part / whole.
    source: str
    condition: Q | None = None
    # Extra filters of the staff case list (besides period and place) that list the
    # cases behind the figure.
    drill: dict = field(default_factory=dict)
    rate_of: tuple[str, str] | None = None
    percent: bool = False


FIGURES: list[Figure] = [
    Figure(
        "people",
        _("People received (人次)"),
        _("People who came or were visited, summed over every visit logged in the period."),
        "stations",
    ),
    Figure("visits", _("Visits"), _("Visits logged in the period, on any channel."), "stations"),
    Figure(
        "days_held",
        _("Reception days held"),
        _("Reception days of the period marked held."),
        "stations",
    ),
    Figure(
        "days_planned",
        _("Reception days planned"),
        _("Reception days in the period's plan, whatever became of them."),
        "stations",
    ),
    Figure(
        "entered",
        _("Representatives entered (进站人次)"),
        _("Representatives on duty on reception days held, not marked absent."),
        "stations",
    ),
    Figure(
        "talks",
        _("Policy talks (宣讲)"),
        _("Confirmed 宣讲 activities dated in the period."),
        "talks",
    ),
    Figure(
        "collected",
        _("Opinions collected"),
        _("Cases received in the period (merged duplicates left out)."),
        "cases",
        Q(),
    ),
    Figure(
        "assigned",
        _("Assigned or transferred"),
        _(
            "Of those, assigned on the spot, referred by letter, reported to the township or "
            "turned into a suggestion."
        ),
        "cases",
        Q(disposition__in=ASSIGNED),
        {"assigned": "true"},
    ),
    Figure(
        "completed",
        _("Completed (办结)"),
        _("Of those, answered: replied by the unit or the liaison, whatever the result."),
        "cases",
        Q(replied_at__isnull=False),
        {"replied": "true"},
    ),
    Figure(
        "solved",
        _("Solved (解决或基本解决)"),
        _("Of those, replied as solved or basically solved."),
        "cases",
        Q(result=ReplyResult.SOLVED),
        {"result": ReplyResult.SOLVED},
    ),
    Figure(
        "cannot",
        _("Cannot be solved"),
        _("Of those, replied as cannot be solved now, with the reason."),
        "cases",
        Q(result=ReplyResult.CANNOT),
        {"result": ReplyResult.CANNOT},
    ),
    Figure(
        "timed",
        _("Replies with a deadline"),
        _("Replies whose timeliness is known: the on-time rate's base."),
        "cases",
        Q(replied_on_time__isnull=False),
        {"timed": "true"},
    ),
    Figure(
        "on_time",
        _("Replied on time"),
        _("Replies that came by the deadline in force."),
        "cases",
        Q(replied_on_time=True),
        {"on_time": "true"},
    ),
    Figure(
        "on_time_rate",
        _("On-time rate"),
        _("Replied on time over replied (with a deadline), in per cent."),
        "rate",
        drill={"on_time": "true"},
        rate_of=("on_time", "timed"),
        percent=True,
    ),
    Figure(
        "rated",
        _("Rated"),
        _("Cases whose constituent said how satisfied they are."),
        "cases",
        ~Q(satisfaction=""),
        {"rated": "true"},
    ),
    Figure(
        "satisfied",
        _("Satisfied or basically satisfied"),
        _("Rated satisfied (满意) or basically satisfied (基本满意)."),
        "cases",
        Q(satisfaction__in=SATISFIED),
        {"satisfaction": SATISFIED},
    ),
    Figure(
        "satisfaction_rate",
        _("Satisfaction rate"),
        _("满意 + 基本满意 over rated, in per cent."),
        "rate",
        drill={"satisfaction": SATISFIED},
        rate_of=("satisfied", "rated"),
        percent=True,
    ),
    Figure(
        "rehandled",
        _("Re-handled"),
        _("Cases reopened after an unsatisfied rating and handled again."),
        "cases",
        Q(reopen_count__gt=0),
        {"rehandled": "true"},
    ),
    Figure(
        "overdue",
        _("Overdue now"),
        _("Open cases past their deadline today, whenever received."),
        "now",
        drill={"overdue": "true"},
    ),
    Figure(
        "escalated",
        _("Under supervision now (督办)"),
        _("Open cases under supervision today: escalated when overdue or by the committee."),
        "now",
        Q(step=Step.SUPERVISING),
        {"step": Step.SUPERVISING},
    ),
]

BY_KEY = {figure.key: figure for figure in FIGURES}
CASE_COLUMNS = [figure.key for figure in FIGURES if figure.source == "cases"]
STATION_COLUMNS = [figure.key for figure in FIGURES if figure.source == "stations"]
# What a dashboard shows as cards, in order (the rates' parts stay in the tables).
CARDS = [
    "people",
    "visits",
    "days_held",
    "entered",
    "talks",
    "collected",
    "assigned",
    "completed",
    "solved",
    "cannot",
    "on_time_rate",
    "satisfaction_rate",
    "rehandled",
    "overdue",
    "escalated",
]


def case_counts() -> dict:
    """The case columns as aggregates over Case rows (the roll-ups' and the live totals')."""
    return {key: Count("pk", filter=BY_KEY[key].condition) for key in CASE_COLUMNS}


def now_condition(key: str) -> Q:
    """A live figure's condition, with today's date read now (not at import)."""
    if key == "overdue":
        return CaseQuerySet.overdue_condition()
    return BY_KEY[key].condition & ~Q(step__in=CLOSED_STEPS)
