"""The public profile's duty figures: one query, the same numbers as the staff record."""

import datetime as dt

import pytest

from duty.drafting import figures_of_counts
from duty.record import counts_of, public_figures
from tests.clock import frozen
from tests.duty_world import contacts, county_committee, held_days, household_visit, rep_with_login

pytestmark = [pytest.mark.django_db, frozen(dt.date(2026, 11, 25))]
YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_the_public_figures_are_the_records_in_one_query(django_assert_num_queries):
    rep = rep_with_login()
    contacts(rep, 3, 2, on=dt.date(2026, 11, 2))
    held_days(rep, [dt.date(2026, 3, 16)])
    household_visit(county_committee(), rep, on=dt.date(2026, 11, 20), people=7)
    record = figures_of_counts(counts_of(rep, *YEAR))
    del record["activities_by_kind"], record["sessions_missed"]
    with django_assert_num_queries(1):
        public = public_figures(rep.pk, *YEAR)
    assert public == record
    assert (public["people_reached"], public["contacts_made"], public["station_days"]) == (10, 6, 1)
