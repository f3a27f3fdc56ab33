import pytest
from django.db.models import Count

from liaison.wiring import demo
from stations.models import DutyAssignment, ReceptionDay, ReceptionNotice, ReceptionStatus

pytestmark = pytest.mark.django_db


def test_demo_county_has_a_year_of_staffed_reception_days():
    """The demo plans 2026 for every station: held, published, cancelled and draft days,
    each with someone on duty, and the held days' public notices."""
    demo.seed(password="demo-pass-123")
    statuses = dict(ReceptionDay.objects.values_list("status").annotate(n=Count("id")).order_by())
    assert set(statuses) == set(ReceptionStatus.values)
    assert sum(statuses.values()) == 125 * 12
    assert not ReceptionDay.objects.filter(duties__isnull=True).exists()
    assert ReceptionNotice.objects.count() == statuses[ReceptionStatus.HELD]
    pairs = DutyAssignment.objects.values_list("representative_id", "date")
    assert pairs.count() == len(set(pairs))
