"""Duty quotas per rule set (龙沙, 浏阳, 湘潭), judged at period ends and across holidays,
and the reminder sweep: once per period, caught up after a stop."""

import datetime as dt

import pytest
import time_machine

from duty.models import ContactYear, QuotaReminder
from duty.quotas import AMBER, GREEN, RED, Period, quotas_for, share_elapsed
from duty.record import counts_of
from duty.services.contacts import contact_years_rebuild
from duty.sweeps import quota_reminders_send
from liaison.base.models import JurisdictionSettings
from liaison.base.notifications.models import Notification, NotificationKind
from representatives.models import CongressLevel
from tests.clock import frozen, moment
from tests.duty_world import contacts, county_committee, held_days, household_visit, rep_with_login
from tests.factories import region

pytestmark = pytest.mark.django_db


def status(rep, code, **kwargs):
    return next(q for q in quotas_for([rep], **kwargs)[rep.pk] if q.code == code)


@frozen(dt.date(2026, 12, 31))
def test_longsha_district_representative_needs_ten_people_four_times():
    """龙沙: a district representative meets 10 people 4 times a year; 9 is red at year end."""
    met, short = rep_with_login(), rep_with_login()
    contacts(met, 10, 4, on=dt.date(2026, 6, 1))
    contacts(short, 9, 4, on=dt.date(2026, 6, 1))
    assert status(met, "fixed_contacts").status == GREEN
    quota = status(short, "fixed_contacts")
    assert (quota.count, quota.target, quota.status) == (9, 10, RED)


@frozen(dt.date(2026, 12, 31))
def test_longsha_city_representative_needs_five_people_twice():
    """龙沙: a city representative meets 5 people twice a year."""
    rep = rep_with_login(level=CongressLevel.CITY)
    contacts(rep, 5, 2, on=dt.date(2026, 3, 1))
    quota = status(rep, "fixed_contacts")
    assert (quota.count, quota.target, quota.status) == (5, 5, GREEN)


@frozen(dt.date(2026, 12, 31))
def test_yearly_counts_kept_beside_each_contact_agree_with_the_contacts_made():
    """The year's quota reads ``ContactYear``; any other period counts contacts made.
    Both, and a rebuild from scratch (the demo's and the benchmarks' bulk loads), agree."""
    rep = rep_with_login()
    contacts(rep, 3, 4, on=dt.date(2026, 6, 1))
    contacts(rep, 2, 1, on=dt.date(2025, 12, 31))
    kept = sorted(ContactYear.objects.values_list("year", "times"))
    assert kept == [(2025, 1), (2025, 1), (2026, 4), (2026, 4), (2026, 4)]
    year = counts_of(rep, dt.date(2026, 1, 1), dt.date(2026, 12, 31), contact_times=(2, 4))
    # One day short of the year: counted from the contacts made themselves.
    almost = counts_of(rep, dt.date(2026, 1, 2), dt.date(2026, 12, 31), contact_times=(2, 4))
    for counts in (year, almost):
        assert (counts.contacts_made, counts.contacted_enough) == (12, {2: 3, 4: 3})
    assert contact_years_rebuild() == 5
    assert sorted(ContactYear.objects.values_list("year", "times")) == kept


@frozen(dt.date(2026, 7, 1))
def test_halfway_through_the_year_half_the_target_is_on_track():
    """Amber: not yet met but on pace for the working days gone by; red when behind."""
    on_pace, behind = rep_with_login(), rep_with_login()
    contacts(on_pace, 5, 4, on=dt.date(2026, 6, 1))
    contacts(behind, 2, 4, on=dt.date(2026, 6, 1))
    assert status(on_pace, "fixed_contacts").status == AMBER
    assert status(behind, "fixed_contacts").status == RED


def test_a_holiday_week_moves_nothing():
    """National Day (2026-10-01…07) has no working day: the pace on the 7th is the 30th's."""
    year = Period.year(2026)
    assert share_elapsed(year, dt.date(2026, 10, 7)) == share_elapsed(year, dt.date(2026, 9, 30))
    assert share_elapsed(year, dt.date(2026, 10, 9)) > share_elapsed(year, dt.date(2026, 9, 30))


def liuyang():
    JurisdictionSettings.objects.create(
        region=region("430121000000"), station_days_per_month=1, people_reached_per_month=30
    )


@frozen(dt.date(2026, 11, 30))
def test_liuyang_a_station_day_and_thirty_people_a_month():
    """浏阳: one station day and 30 people a month; judged at the month's end."""
    liuyang()
    committee = county_committee()
    done, short = rep_with_login(), rep_with_login()
    held_days(done, [dt.date(2026, 11, 16)])
    household_visit(committee, done, on=dt.date(2026, 11, 20), people=30)
    household_visit(committee, short, on=dt.date(2026, 11, 20), people=29)
    assert status(done, "station_days_month").status == GREEN
    assert status(done, "people_month").status == GREEN
    assert status(short, "people_month").status == RED
    assert status(short, "station_days_month").status == RED


@frozen(dt.date(2026, 12, 31))
def test_xiangtan_three_station_days_two_for_national():
    """湘潭: about 3 station days a year, 2 for national and provincial representatives."""
    county, national = rep_with_login(), rep_with_login(level=CongressLevel.NATIONAL)
    held_days(county, [dt.date(2026, 3, 16), dt.date(2026, 6, 15)])
    held_days(national, [dt.date(2026, 3, 16), dt.date(2026, 6, 15)])
    assert status(county, "station_days").status == RED
    assert status(national, "station_days").status == GREEN
    assert status(county, "station_days", on=dt.date(2026, 7, 1)).status == AMBER


def reminders():
    return Notification.objects.filter(kind=NotificationKind.QUOTA_BEHIND)


def test_reminder_sweep_sends_once_per_period_and_catches_up():
    """The yearly reminder goes out on its day (40 working days before the year ends), once;
    a scheduler stopped over that day sends it on its first run after."""
    behind = rep_with_login()
    with time_machine.travel(moment(dt.date(2026, 9, 1)), tick=False):
        quota_reminders_send()
    assert not reminders().exists()
    row = QuotaReminder.objects.get(representative=behind, period_kind="year")
    assert dt.date(2026, 10, 20) < row.next_on < dt.date(2026, 11, 10)
    stopped_until = row.next_on + dt.timedelta(days=5)
    with time_machine.travel(moment(stopped_until), tick=False):
        quota_reminders_send()
        quota_reminders_send()
    assert reminders().filter(channel="sms").count() == 1
    assert reminders().filter(channel="in_app", user=behind.user).count() == 1
    with time_machine.travel(moment(dt.date(2026, 12, 30)), tick=False):
        quota_reminders_send()
    assert reminders().filter(channel="sms").count() == 1
    row.refresh_from_db()
    assert row.last_period == "2026" and row.next_on.year == 2027


def test_monthly_reminder_each_month_only_for_who_is_behind():
    """浏阳's monthly quotas: reminded in November and again in December, once each; a
    representative on target is not reminded."""
    liuyang()
    committee = county_committee()
    behind, fine = rep_with_login(), rep_with_login()
    held_days(fine, [dt.date(2026, 11, 2), dt.date(2026, 12, 1)])
    household_visit(committee, fine, on=dt.date(2026, 11, 2), people=40)
    household_visit(committee, fine, on=dt.date(2026, 12, 1), people=40)
    for day in (dt.date(2026, 11, 25), dt.date(2026, 11, 26), dt.date(2026, 12, 28)):
        with time_machine.travel(moment(day), tick=False):
            quota_reminders_send()
    month = reminders().filter(channel="sms", dedupe_key__startswith="quota:month")
    assert sorted(month.values_list("dedupe_key", flat=True)) == [
        f"quota:month:2026-11:rep{behind.pk}:sms",
        f"quota:month:2026-12:rep{behind.pk}:sms",
    ]
