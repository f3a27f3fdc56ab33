import datetime as dt

import pytest
from django.urls import reverse

from stations.models import DutyAssignment, ReceptionDay
from stations.services import reception_day_set_duty
from tests.factories import MembershipFactory, StationFactory
from tests.reception_factories import staffed_station

pytestmark = pytest.mark.django_db

DATE = dt.date(2026, 10, 15)


def change_form_data(day, date):
    duties = list(day.duties.all())
    data = {
        "date": date.isoformat(),
        "start_time": "09:00",
        "end_time": "12:00",
        "place": day.place,
        "notice_lead_workdays": 5,
        "duties-TOTAL_FORMS": len(duties),
        "duties-INITIAL_FORMS": len(duties),
        "duties-MIN_NUM_FORMS": 0,
        "duties-MAX_NUM_FORMS": 1000,
    }
    for index, duty in enumerate(duties):
        data[f"duties-{index}-id"] = duty.pk
        data[f"duties-{index}-reception_day"] = day.pk
        data[f"duties-{index}-representative"] = duty.representative_id
    return data


@pytest.fixture
def two_days():
    """One representative on duty at station A on 10-15, and also seated at station B."""
    station, reps = staffed_station("official")
    elsewhere = StationFactory()
    MembershipFactory(station=elsewhere, representative=reps[0])
    first = ReceptionDay.objects.create(station=station, date=DATE)
    reception_day_set_duty(actor=None, day=first, representatives=reps)
    second = ReceptionDay.objects.create(station=elsewhere, date=DATE + dt.timedelta(days=1))
    reception_day_set_duty(actor=None, day=second, representatives=reps)
    return first, second


def test_moving_a_day_in_the_admin_moves_its_duties(admin_client, two_days):
    first, _ = two_days
    url = reverse("admin:stations_receptionday_change", args=[first.pk])
    response = admin_client.post(url, change_form_data(first, DATE - dt.timedelta(days=1)))
    assert response.status_code == 302
    assert set(
        DutyAssignment.objects.filter(reception_day=first).values_list("date", flat=True)
    ) == {DATE - dt.timedelta(days=1)}


def test_moving_a_day_onto_a_date_its_representative_is_busy_is_refused(admin_client, two_days):
    """The admin shows the clash instead of failing on the database constraint."""
    first, second = two_days
    url = reverse("admin:stations_receptionday_change", args=[first.pk])
    response = admin_client.post(url, change_form_data(first, second.date))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert second.date.isoformat() in " ".join(formset.non_form_errors())
    first.refresh_from_db()
    assert first.date == DATE
