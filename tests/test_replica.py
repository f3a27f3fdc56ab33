"""The read replica's router (liaison/base/replica.py): the public pages and the reports
read from the replica when there is one; writes, reads in a transaction and reads after
a write stay on default. The replica here is Django's test mirror of the default
database (tests/conftest.py), so rows committed by a test are read back through it."""

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from liaison.base.replica import ReplicaRouter, replica_reads
from representatives.models import Representative
from tests.factories import RepresentativeFactory, committee_user

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture(autouse=True)
def replica(settings):
    """As DATABASE_REPLICA_URL turns it on in production."""
    settings.DATABASE_REPLICA_ALIAS = "replica"


def queries_on_each(client_call):
    with (
        CaptureQueriesContext(connections["default"]) as default,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        response = client_call()
    return response, len(default), len(replica)


def test_a_public_page_reads_from_the_replica(client):
    published = RepresentativeFactory(published=True)
    response, on_default, on_replica = queries_on_each(
        lambda: client.get(f"/representatives/{published.pk}/calendar.ics")
    )
    assert response.status_code == 200
    assert published.name in response.content.decode()
    assert on_replica > 0
    assert on_default == 0


def test_a_page_for_the_public_page_cache_reads_the_primary(client):
    """Kept under a version just bumped, it must not be rendered from a lagging replica."""
    published = RepresentativeFactory(published=True)
    response, on_default, on_replica = queries_on_each(lambda: client.get("/representatives/"))
    assert response.status_code == 200 and response["Cache-Control"].startswith("public")
    assert published.name in response.content.decode()
    assert on_default > 0
    assert on_replica == 0


def test_staff_pages_and_every_post_read_the_primary(client):
    client.force_login(committee_user("430121000000"))
    response, _, on_replica = queries_on_each(lambda: client.get("/staff/cases/"))
    assert response.status_code == 200
    assert on_replica == 0
    client.logout()
    response, _, on_replica = queries_on_each(
        lambda: client.post("/cases/status/", {"code": "XXXX-XXXX-XX", "check": "1234"})
    )
    assert response.status_code in (400, 404)
    assert on_replica == 0


def test_the_reports_read_from_the_replica_and_the_login_from_the_primary(client):
    client.force_login(committee_user("430121000000"))
    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(connections["replica"]) as on_replica,
    ):
        response = client.get("/staff/figures/")
    assert response.status_code == 200
    assert len(on_replica) > 0
    # A login a moment ago may not be on the replica yet: the session and the user are
    # read before the view, from the primary.
    primary = " ".join(query["sql"] for query in on_default.captured_queries)
    replica = " ".join(query["sql"] for query in on_replica.captured_queries)
    assert 'FROM "liaison_session"' in primary
    assert 'FROM "auth_user" WHERE' in primary
    assert 'FROM "auth_user"' not in replica
    assert 'FROM "liaison_session"' not in replica


def test_reads_in_a_transaction_or_after_a_write_stay_on_the_primary():
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Representative) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Representative) == "default"
        RepresentativeFactory()  # a write: the rest of this block reads it back from default
        assert router.db_for_read(Representative) == "default"
    with replica_reads():
        assert router.db_for_read(Representative) == "replica"
    # Unmarked code (views of staff, tasks, commands) reads the primary.
    assert router.db_for_read(Representative) == "default"
    assert router.db_for_write(Representative) == "default"
    assert router.allow_migrate("replica", "suggestions") is False
    assert router.allow_migrate("default", "suggestions") is True


def test_without_a_replica_everything_reads_the_primary(client, settings):
    settings.DATABASE_REPLICA_ALIAS = ""
    RepresentativeFactory(published=True)
    with replica_reads():
        assert ReplicaRouter().db_for_read(Representative) == "default"
    response, on_default, on_replica = queries_on_each(lambda: client.get("/representatives/"))
    assert response.status_code == 200
    assert (on_default > 0, on_replica) == (True, 0)
