"""Who sees which duty record and which fixed contacts; the quota table's queries do not
grow with the representatives; an inspection's finding raises a case."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from duty.models import ActivityKind, ActivityStatus, Organiser
from duty.services.activities import activity_confirm, activity_record
from duty.services.findings import activity_raise_case
from liaison.base.flow import NotAllowed
from representatives.models import CongressLevel
from stations.models import VisitChannel
from tests.clock import frozen
from tests.duty_world import contacts, county_committee, rep_with_login
from tests.factories import (
    MembershipFactory,
    StationFactory,
    UserFactory,
    committee_user,
    liaison_user,
    region,
)

pytestmark = [pytest.mark.django_db, frozen(dt.date(2026, 11, 25))]


def test_a_representative_sees_only_their_own_record_and_contacts(client):
    """Another representative's record and contacts are not found."""
    mine, other = rep_with_login(), rep_with_login()
    contacts(other, 1, 1, on=dt.date(2026, 11, 2))
    client.force_login(mine.user)
    assert client.get("/staff/duty/").status_code == 200
    assert client.get(f"/staff/duty/representatives/{other.pk}/").status_code == 404
    contact = other.fixed_contacts.get()
    assert client.get(f"/staff/duty/contacts/{contact.pk}/").status_code == 404
    assert "群众0" not in client.get("/staff/duty/contacts/").content.decode()


def test_a_township_committee_sees_only_its_representatives(client):
    """A township committee's table and records hold its township's representatives only."""
    here = rep_with_login(level=CongressLevel.TOWNSHIP)
    there = rep_with_login(level=CongressLevel.TOWNSHIP, region=region("430121002000"))
    township = committee_user("430121001000")
    client.force_login(township)
    assert client.get(f"/staff/duty/representatives/{here.pk}/").status_code == 200
    assert client.get(f"/staff/duty/representatives/{there.pk}/").status_code == 404
    table = client.get("/staff/duty/quotas/").content.decode()
    assert here.name in table and there.name not in table


def test_fixed_contacts_follow_where_the_constituent_lives(client):
    """A committee sees the contacts living in its region; a liaison or a unit none."""
    rep = rep_with_login()
    contacts(rep, 1, 1, on=dt.date(2026, 11, 2))
    contact = rep.fixed_contacts.get()
    for user, seen in (
        (committee_user("430121001000"), 200),
        (committee_user("430121002000"), 404),
        (liaison_user(StationFactory()), 404),
        (UserFactory(), 404),
    ):
        client.force_login(user)
        assert client.get(f"/staff/duty/contacts/{contact.pk}/").status_code == seen


def test_the_quota_table_costs_the_same_queries_for_one_and_many(client):
    """The committee's table: as many queries for 16 representatives as for one."""
    committee = county_committee()
    client.force_login(committee)
    rep_with_login()
    client.get("/staff/duty/quotas/")
    with CaptureQueriesContext(connection) as one:
        assert client.get("/staff/duty/quotas/").status_code == 200
    for _ in range(15):
        rep = rep_with_login()
        contacts(rep, 1, 1, on=dt.date(2026, 11, 2))
    with CaptureQueriesContext(connection) as many:
        assert client.get("/staff/duty/quotas/").status_code == 200
    assert len(many) == len(one)


def test_a_representatives_activity_counts_once_confirmed_and_raises_a_case():
    """Recorded by a representative, confirmed by the station's liaison (not anyone),
    then a finding raised as a case on the activity channel, received by the participants."""
    rep = rep_with_login()
    station = StationFactory()
    MembershipFactory(station=station, representative=rep)
    activity = activity_record(
        actor=rep.user,
        kind=ActivityKind.INSPECTION,
        title="视察农村公路",
        date=dt.date(2026, 11, 20),
        place="星沙街道",
        organiser=Organiser.STATION,
        station=station,
        representatives=[rep],
    )
    assert activity.status == ActivityStatus.RECORDED
    with pytest.raises(NotAllowed):
        activity_confirm(activity_id=activity.pk, actor=UserFactory())
    liaison = liaison_user(station)
    activity_confirm(activity_id=activity.pk, actor=liaison)
    case = activity_raise_case(
        activity_id=activity.pk,
        actor=liaison,
        station=station,
        title="村道破损",
        description="视察发现村道坑洼。",
    )
    assert case.visit.channel == VisitChannel.ACTIVITY
    assert list(case.visit.representatives.all()) == [rep]
    assert activity.findings.get().case == case
