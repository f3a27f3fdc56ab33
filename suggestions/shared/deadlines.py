"""Case deadlines on the working-day calendar, with the reasoning kept beside them.

Each deadline is stored with an explanation (rule, start, working days or
months, the days skipped and why, years counted Monday–Friday only), so staff
can see how it was computed and an auditor can recompute it.

A deadline counted across a year whose official arrangement is not entered yet (past
chinese-calendar's tables) skips that year's statutory holidays computed by rule and is
marked ``provisional`` (``PROVISIONAL_HOLIDAYS``, liaison/base/calendar.py); when an
administrator enters that year's days off and make-up days, ``recount`` counts it again
from its stored rule and start (liaison/wiring/recompute.py), and the explanation keeps
the date it had before.
"""

import calendar as month_calendar
import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from liaison.base.calendar import Deadline, WorkdayCalendar, YearSource

RULES = {
    "registration": _("registered within %(n)s working days of the reception"),
    "disposition": _("sorted and assigned within %(n)s working days of registration"),
    "reply": _("the unit replies within %(n)s working days of assignment"),
    "rehandle": _("re-handled within %(n)s working days of the unsatisfied feedback"),
    "suggestion": _("a suggestion is answered within %(n)s months of filing"),
    "extension": _("extended by the committee on request"),
    "send_back": _("a unit may send a misrouted case back within %(n)s working days"),
    "follow_up": _("being solved: the unit answers again by the date it gave"),
    # Representative suggestions (suggestions/proposals/).
    "suggestion_assign": _(
        "a suggestion filed between sessions is assigned within %(n)s working days of receipt"
    ),
    "suggestion_reply": _("the lead unit replies within %(n)s months of assignment"),
    "suggestion_extended": _("extended: the lead unit replies within %(n)s months of assignment"),
    "suggestion_counit": _("a co-unit sends its opinion within %(n)s months of assignment"),
    "suggestion_rehandle": _("re-handled and answered again within %(n)s months of the order"),
    "suggestion_follow_up": _("followed up until solved, by the date the unit gave"),
}


def on_time(replied_on: dt.date, deadline: dt.date | None) -> bool:
    """A reply is on time when it comes by the deadline in force (its local date); a
    matter without a deadline cannot be late."""
    return deadline is None or replied_on <= deadline


def _calendar(around: dt.date) -> WorkdayCalendar:
    return WorkdayCalendar(around)


def in_workdays(*, start: dt.date, workdays: int, rule: str) -> tuple[dt.date, dict]:
    deadline = _calendar(start).shift(start, workdays)
    return deadline.date, _explanation(deadline, rule)


def in_months(*, start: dt.date, months: int, rule: str) -> tuple[dt.date, dict]:
    """Calendar months, landing on the next working day when the date is a day off."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, month_calendar.monthrange(year, month)[1])
    nominal = dt.date(year, month, day)
    work_calendar = _calendar(nominal)
    date, skipped = nominal, []
    while (reason := work_calendar.day_off_reason(date)) is not None:
        skipped.append((date, reason))
        date += dt.timedelta(days=1)
    # Where the date lands depends on the days off around it: provisional in such a year.
    source = work_calendar.source(date.year)
    explanation = {
        "rule": rule,
        "start": start.isoformat(),
        "months": months,
        "date": date.isoformat(),
        "skipped": [[day.isoformat(), reason] for day, reason in skipped],
        "weekday_only_years": [],
        "provisional_years": [date.year] if source == YearSource.PROVISIONAL else [],
        "provisional": work_calendar.provisional
        and source in (YearSource.PROVISIONAL, YearSource.TABLE),
    }
    return date, explanation


def extended(*, start: dt.date, until: dt.date, reason: str) -> tuple[dt.date, dict]:
    return until, {
        "rule": "extension",
        "start": start.isoformat(),
        "date": until.isoformat(),
        "reason": reason,
        "skipped": [],
        "weekday_only_years": [],
    }


def follow_up(*, start: dt.date, until: dt.date) -> tuple[dt.date, dict]:
    """A case replied "being solved": the next reply is due on the date the unit gave."""
    return until, {
        "rule": "follow_up",
        "start": start.isoformat(),
        "date": until.isoformat(),
        "skipped": [],
        "weekday_only_years": [],
    }


def _explanation(deadline: Deadline, rule: str) -> dict:
    return {
        "rule": rule,
        "start": deadline.start.isoformat(),
        "workdays": deadline.workdays,
        "date": deadline.date.isoformat(),
        "skipped": [[day.isoformat(), str(reason)] for day, reason in deadline.skipped],
        "weekday_only_years": deadline.weekday_only_years,
        "provisional_years": deadline.provisional_years,
        # Counted again when the calendar of these years changes (recount below).
        "provisional": bool(
            deadline.provisional_years
            or (settings.PROVISIONAL_HOLIDAYS and deadline.weekday_only_years)
        ),
    }


def recount(explanation: dict) -> tuple[dt.date, dict] | None:
    """A provisional deadline counted again on today's calendar from its stored rule and
    start: the new date and explanation (keeping the dates it had), or None if the date
    and the days skipped did not change."""
    start = dt.date.fromisoformat(explanation["start"])
    if "workdays" in explanation:
        date, fresh = in_workdays(
            start=start, workdays=explanation["workdays"], rule=explanation["rule"]
        )
    elif "months" in explanation:
        date, fresh = in_months(start=start, months=explanation["months"], rule=explanation["rule"])
    else:
        return None
    same = fresh["date"] == explanation["date"] and fresh["skipped"] == explanation["skipped"]
    if same and fresh["provisional"] == explanation.get("provisional"):
        return None
    before = [*explanation.get("counted_before", []), explanation["date"]]
    fresh["counted_before"] = before if fresh["date"] != explanation["date"] else before[:-1]
    return date, fresh


def recounted_years(explanation: dict) -> set[int]:
    """The years whose calendar a provisional deadline waits for."""
    return {*explanation.get("provisional_years", []), *explanation.get("weekday_only_years", [])}


def explain(explanation: dict) -> str:
    """The stored explanation as one sentence in the user's language."""
    if not explanation:
        return ""
    rule = RULES.get(explanation["rule"], explanation["rule"])
    count = explanation.get("workdays", explanation.get("months", ""))
    text = _("%(rule)s: from %(start)s to %(date)s") % {
        "rule": str(rule) % {"n": count} if "%(n)s" in str(rule) else rule,
        "start": explanation["start"],
        "date": explanation["date"],
    }
    if explanation["skipped"]:
        text += str(_("; days off skipped: %(days)s")) % {
            "days": ", ".join(f"{day} {reason}" for day, reason in explanation["skipped"])
        }
    if explanation.get("provisional_years"):
        text += str(
            _(
                "; provisional: the statutory holidays of %(years)s counted by rule, until the "
                "official arrangement is entered"
            )
        ) % {"years": ", ".join(str(year) for year in explanation["provisional_years"])}
    if explanation.get("counted_before"):
        text += str(_("; counted again on the official calendar (before: %(dates)s)")) % {
            "dates": ", ".join(explanation["counted_before"])
        }
    if explanation["weekday_only_years"]:
        text += str(_("; counted Monday to Friday for %(years)s (no official calendar)")) % {
            "years": ", ".join(str(year) for year in explanation["weekday_only_years"])
        }
    return str(text)
