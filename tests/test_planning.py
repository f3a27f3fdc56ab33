import datetime as dt
import itertools
from collections import Counter

import pytest
from django.core.management import call_command

from liaison.base.calendar import WorkdayCalendar
from liaison.base.models import JurisdictionSettings
from representatives.models import CongressLevel
from stations.models import DutyAssignment, ReceptionDay, ReceptionStatus, Station
from stations.planning import reception_plan_generate, representatives_below_target
from stations.services import reception_days_publish
from tests.factories import MembershipFactory, RepresentativeFactory, StationFactory, region

pytestmark = pytest.mark.django_db

YEAR = 2026
TARGET = {"national": 2, "provincial": 2, "city": 3, "county": 3, "township": 3}


def five_level_station(**station_kwargs):
    """One representative of each level plus a second county and township one,
    officials and grassroots mixed, all seated in one station."""
    station = StationFactory(**station_kwargs)
    people = [
        (CongressLevel.NATIONAL, "official"),
        (CongressLevel.PROVINCIAL, "grassroots"),
        (CongressLevel.CITY, "official"),
        (CongressLevel.COUNTY, "grassroots"),
        (CongressLevel.COUNTY, "official"),
        (CongressLevel.TOWNSHIP, "grassroots"),
        (CongressLevel.TOWNSHIP, "grassroots"),
    ]
    reps = [RepresentativeFactory(level=level, kind=kind) for level, kind in people]
    for rep in reps:
        MembershipFactory(station=station, representative=rep)
    return station, reps


def test_a_year_of_days_on_the_15th_moved_to_the_next_working_day():
    """Twelve days; a 15th that is a day off moves to the next working day."""
    station, _ = five_level_station()
    report = reception_plan_generate(year=YEAR, stations=Station.objects.all())
    dates = list(station.reception_days.values_list("date", flat=True))
    calendar = WorkdayCalendar(dt.date(YEAR, 7, 1))
    assert report.days_created == len(dates) == 12
    for date in dates:
        assert calendar.is_workday(date)
        assert date == calendar.next_workday(dt.date(YEAR, date.month, 15))
    assert dt.date(2026, 2, 24) in dates  # Sunday 02-15 falls in the Spring Festival break
    assert dt.date(2026, 3, 16) in dates  # Sunday 03-15 → Monday


def test_a_jurisdiction_that_keeps_days_off_keeps_the_15th():
    station, _ = five_level_station()
    JurisdictionSettings.objects.create(
        region_id="430121000000", keep_non_working_reception_day=True, notice_lead_workdays=3
    )
    reception_plan_generate(year=YEAR, stations=Station.objects.all())
    days = station.reception_days.all()
    assert {day.date.day for day in days} == {15}
    assert {day.notice_lead_workdays for day in days} == {3}


def test_every_level_meets_its_target_and_each_day_pairs_an_official_with_a_grassroots():
    """All five levels: national/provincial 2 days, the others 3; dual duty every day."""
    _, reps = five_level_station()
    report = reception_plan_generate(year=YEAR, stations=Station.objects.all())
    counts = Counter(DutyAssignment.objects.values_list("representative_id", flat=True))
    for rep in reps:
        assert counts[rep.pk] >= TARGET[rep.level], rep.level
    assert report.below_target == []
    for day in ReceptionDay.objects.prefetch_related("duties"):
        kinds = {duty.kind for duty in day.duties.all()}
        assert kinds == {"official", "grassroots"}, day.date


def test_duty_is_spread_over_the_year():
    """Each representative's days are months apart, and no day is crowded."""
    _, reps = five_level_station()
    reception_plan_generate(year=YEAR, stations=Station.objects.all())
    for rep in reps:
        dates = sorted(rep.duties.values_list("date", flat=True))
        gaps = [(b - a).days for a, b in itertools.pairwise(dates)]
        assert min(gaps) >= 60, (rep.level, dates)
    loads = Counter(DutyAssignment.objects.values_list("reception_day_id", flat=True))
    assert max(loads.values()) - min(loads.values()) <= 2


def test_nobody_is_on_duty_in_two_places_on_one_day_across_a_region():
    """Representatives seated in two stations of the region are booked once a day."""
    _first, reps = five_level_station(name="甲站")
    second = StationFactory(name="乙站", region=region("430121002000"))
    for rep in reps:
        MembershipFactory(station=second, representative=rep)
    report = reception_plan_generate(
        year=YEAR, stations=Station.objects.in_region(region("430121000000"))
    )
    assert report.days_created == 24
    pairs = list(DutyAssignment.objects.values_list("representative_id", "date"))
    assert len(pairs) == len(set(pairs))
    assert ReceptionDay.objects.filter(station=second, duties__isnull=True).count() == 0


def test_only_representatives_seated_on_the_day_are_put_on_duty():
    """A membership that ends in June gives no duty after June."""
    _station, reps = five_level_station()
    leaving = reps[-1]
    membership = leaving.station_memberships.get()
    membership.end_date = dt.date(YEAR, 6, 30)
    membership.save()
    outsider = RepresentativeFactory(level=CongressLevel.TOWNSHIP)
    reception_plan_generate(year=YEAR, stations=Station.objects.all())
    assert not outsider.duties.exists()
    assert not leaving.duties.filter(date__gt=dt.date(YEAR, 6, 30)).exists()


def test_representatives_who_cannot_meet_their_target_are_reported():
    """Seated from December only: one day is left, the report lists them below target."""
    station, _ = five_level_station()
    late = RepresentativeFactory(level=CongressLevel.CITY, kind="grassroots")
    MembershipFactory(station=station, representative=late, start_date=dt.date(YEAR, 12, 1))
    report = reception_plan_generate(year=YEAR, stations=Station.objects.all())
    assert [(s.representative, s.days, s.target) for s in report.below_target] == [(late, 1, 3)]


def test_planning_again_only_fills_gaps_and_keeps_the_liaisons_edits():
    _station, _ = five_level_station()
    reception_plan_generate(year=YEAR, stations=Station.objects.all())
    before = set(DutyAssignment.objects.values_list("pk", flat=True))
    report = reception_plan_generate(year=YEAR, stations=Station.objects.all())
    assert (report.days_created, report.duties_created) == (0, 0)
    assert set(DutyAssignment.objects.values_list("pk", flat=True)) == before


def test_publishing_the_plan_sets_notice_dates_on_future_staffed_days():
    station, _ = five_level_station()
    reception_plan_generate(year=YEAR, stations=Station.objects.all())
    count = reception_days_publish(
        actor=None, days=station.reception_days.all(), today=dt.date(YEAR, 6, 1)
    )
    assert count == 7  # June to December
    october = station.reception_days.get(date=dt.date(2026, 10, 15))
    assert october.status == ReceptionStatus.PUBLISHED
    assert october.notice_date == dt.date(2026, 10, 9)
    assert station.reception_days.filter(status=ReceptionStatus.PLANNED).count() == 5


def test_the_command_plans_a_region_and_prints_the_report(capsys):
    five_level_station()
    call_command("plan_reception_days", year=YEAR, region="430121000000")
    out = capsys.readouterr().out
    assert "12 reception days created" in out
    assert representatives_below_target(year=YEAR, stations=Station.objects.all()) == []
