"""The period a figure covers: a month, a quarter, a year or custom dates (inclusive),
chosen on a form whose bad input is a field error, never a 500."""

import calendar
import datetime as dt
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    label: str

    def months(self) -> list[dt.date]:
        """The first day of every month the period touches (a trend's x axis)."""
        first, months = self.start.replace(day=1), []
        while first <= self.end:
            months.append(first)
            first = (first + dt.timedelta(days=32)).replace(day=1)
        return months

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as local moments: from its first day's midnight to the next one's
        after its last day (a range on an indexed timestamp)."""
        after = self.end + dt.timedelta(days=1)
        return (
            timezone.make_aware(dt.datetime.combine(self.start, dt.time.min)),
            timezone.make_aware(dt.datetime.combine(after, dt.time.min)),
        )

    def query(self) -> dict:
        """The period as explicit form values (links to ledgers and the bulletin)."""
        return {"period": "custom", "start": self.start.isoformat(), "end": self.end.isoformat()}

    def params(self) -> dict:
        """The staff case list's filters for the cases received in the period."""
        return {"received_after": self.start.isoformat(), "received_before": self.end.isoformat()}


def month(year: int, number: int) -> Period:
    last = calendar.monthrange(year, number)[1]
    return Period(dt.date(year, number, 1), dt.date(year, number, last), f"{year}年{number}月")


def quarter(year: int, number: int) -> Period:
    first = 3 * (number - 1) + 1
    end = month(year, first + 2).end
    return Period(dt.date(year, first, 1), end, f"{year}年第{number}季度")


def year(number: int) -> Period:
    return Period(dt.date(number, 1, 1), dt.date(number, 12, 31), f"{number}年")


def custom(start: dt.date, end: dt.date) -> Period:
    return Period(start, end, f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}")


class DateInput(forms.DateInput):
    input_type = "date"


class PeriodForm(forms.Form):
    KINDS = [
        ("month", _("Month")),
        ("quarter", _("Quarter")),
        ("year", _("Year")),
        ("custom", _("Custom")),
    ]
    period = forms.ChoiceField(label=_("Period"), choices=KINDS, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12, required=False)
    quarter = forms.IntegerField(label=_("Quarter"), min_value=1, max_value=4, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("period") == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("A custom period needs both dates."))
            if end < start:
                raise forms.ValidationError(_("The period ends before it starts."))
            if (end - start).days > 3660:
                raise forms.ValidationError(_("A period is at most ten years."))
        return data

    def get_period(self) -> Period:
        """The chosen period; this month when nothing (or nothing valid) is chosen."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        kind = data.get("period") or "month"
        number = data.get("year") or today.year
        if kind == "year":
            return year(number)
        if kind == "quarter":
            return quarter(number, data.get("quarter") or (today.month - 1) // 3 + 1)
        if kind == "custom":
            return custom(data["start"], data["end"])
        return month(number, data.get("month") or today.month)


def period_from(params) -> tuple[PeriodForm, Period]:
    form = PeriodForm(params or None)
    return form, form.get_period()


def everything() -> Period:
    return Period(dt.date(2000, 1, 1), dt.date(2100, 12, 31), str(_("All time")))


def ledger_period(params) -> Period:
    """A ledger's period: the one given, or none at all when it comes from a case list
    with its own date filters."""
    if not params.get("period"):
        return everything()
    return period_from(params)[1]
