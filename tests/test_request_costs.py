"""What every staff request reads, made cheaper without changing what it shows: the
role query and the header's counts built once per process, the session read as plain
SQL, a list over the count limit counted once a minute, the audit chain appended in one
call on PostgreSQL."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from liaison.base import auth, paging
from liaison.base.audit import AuditAction, AuditRecord, audit, verify
from liaison.base.auth import UserBackend
from liaison.base.notifications.models import Channel, Notification, NotificationKind
from liaison.base.scopes import scope_of
from suggestions.shared.models import UnitStaff
from tests.case_world import make_world, received
from tests.clock import frozen
from workarea import inbox

pytestmark = [pytest.mark.django_db, frozen()]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_role_taken_away_is_gone_at_the_next_request():
    world = make_world()
    user = world.users["lead_unit"]
    client = _client(user)
    assert client.get("/staff/unit/").status_code == 200
    UnitStaff.objects.filter(user=user).delete()
    assert client.get("/staff/unit/").status_code == 404
    user.refresh_from_db()
    assert not scope_of(user).unit_ids


def test_the_navigation_follows_the_roles_held():
    world = make_world()
    user = world.users["lead_unit"]
    client = _client(user)
    assert 'href="/staff/unit/"' in client.get("/staff/messages/").text
    UnitStaff.objects.filter(user=user).delete()
    assert 'href="/staff/unit/"' not in client.get("/staff/messages/").text


def test_the_unread_count_in_the_header_is_the_users_own():
    world = make_world()
    user = world.users["committee"]
    client = _client(user)
    page = client.get("/staff/cases/")
    assert page.status_code == 200
    assert _unread(page) == 0
    case = received(world)
    for n in range(3):
        _tell(user, case, f"t{n}")
    Notification.objects.create(
        kind=NotificationKind.CASE_ESCALATED, channel=Channel.IN_APP,
        user=world.users["liaison"], subject_type="suggestions.case", subject_id=case.pk,
        recipient_key="other", title="别人的", dedupe_key="o", due_date=case.received_at.date(),
    )  # fmt: skip
    assert _unread(client.get("/staff/cases/")) == 3
    Notification.objects.filter(user=user).update(read_at="2026-01-01T00:00:00Z")
    assert _unread(client.get("/staff/cases/")) == 0


def test_the_unread_count_reads_only_the_unread_rows_however_many_were_read(postgres):
    """A committee member told of every escalation for years: the header's count reads the
    index of the unread in-app rows alone, not each of the 20,000 rows they have read."""
    world = make_world()
    user = world.users["committee"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {Notification._meta.db_table} (
                kind, channel, subject_type, subject_id, recipient_key, recipient_name,
                address, user_id, title, body, due_date, dedupe_key, idempotency_key, status,
                attempts, next_attempt_at, last_error, sent_at, read_at, created_at)
            SELECT 'case_escalated', 'in_app', 'suggestions.case', n, 'u', '', '', %s, 't',
                '', now()::date, 'read-' || n, gen_random_uuid(), 'sent', 1, now(), '', now(),
                CASE WHEN n > 2 THEN now() END, now()
            FROM generate_series(1, 20000) AS n
            """,  # noqa: S608 (the table's name only)
            [user.pk],
        )
        cursor.execute(f"ANALYZE {Notification._meta.db_table}")
    assert inbox.unread_count(user) == 2
    plan = inbox._unread(user.pk).explain()
    assert "notification_unread_idx" in plan and "Seq Scan" not in plan, plan


def test_a_backlog_of_unread_messages_is_counted_up_to_99_plus(postgres):
    """Thousands unread (a committee member told of every escalation): the header counts
    the first hundred and shows 99+, in the user's language; 99 are shown as they are."""
    world = make_world()
    user = world.users["committee"]
    case = received(world)
    Notification.objects.bulk_create([
        Notification(
            kind=NotificationKind.CASE_ESCALATED, channel=Channel.IN_APP, user=user,
            subject_type="suggestions.case", subject_id=case.pk,
            recipient_key=f"user:{user.pk}", title=f"消息{n}", dedupe_key=f"b{n}",
            due_date=case.received_at.date(),
        )
        for n in range(250)
    ])  # fmt: skip
    client = _client(user)
    for language, label in (("zh-hans", "超过 99 条未读"), ("en", "More than 99 unread")):
        html = client.get("/staff/cases/", headers={"accept-language": language}).content.decode()
        assert f'<span class="unread-count" aria-label="{label}">99+</span>' in html
    assert inbox.unread_count(user) == inbox.UNREAD_COUNTED
    keep = Notification.objects.filter(user=user).order_by("pk").values("pk")[:99]
    Notification.objects.filter(user=user).exclude(pk__in=keep).update(read_at=timezone.now())
    html = client.get("/staff/cases/", headers={"accept-language": "zh-hans"}).content.decode()
    assert '<span class="unread-count" aria-label="99 条未读">99</span>' in html


def test_the_roles_and_the_unread_count_come_with_the_users_own_query(postgres):
    """A staff page reads the session with its user, their roles and unread count in one
    query: no query of its own for any of them."""
    world = make_world()
    user = world.users["committee"]
    client = _client(user)
    client.get("/staff/cases/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/staff/cases/").status_code == 200
    sqls = [q["sql"] for q in queries]
    (with_user,) = [sql for sql in sqls if '"auth_user"."id"' in sql]
    assert 'FROM "liaison_session"' in with_user
    assert "liaison_committeemembership" in with_user and "liaison_notification" in with_user
    assert not any('FROM "liaison_session"' in sql for sql in sqls if sql != with_user)
    assert not any("liaison_committeemembership" in sql for sql in sqls if sql != with_user)
    assert not any("liaison_notification" in sql for sql in sqls if sql != with_user)


def test_what_comes_with_the_user_is_what_the_own_queries_read(postgres):
    world = make_world()
    user = world.users["committee"]
    case = received(world)
    for n in range(2):
        _tell(user, case, f"w{n}")
    read = UserBackend().get_user(user.pk)
    assert auth.read_with(read, "roles") is not auth.NOT_READ
    assert scope_of(read) == scope_of(type(user).objects.get(pk=user.pk)) != scope_of(None)
    assert inbox.unread_count(read) == 2 == inbox.unread_count(user)
    # Marked read within the request: the header reads the count again.
    inbox.messages_mark_all_read(user=read)
    assert auth.read_with(read, "unread") is auth.NOT_READ
    assert inbox.unread_count(read) == 0
    # Nothing unread (a NULL read with the user): none.
    liaison = UserBackend().get_user(world.users["liaison"].pk)
    assert auth.read_with(liaison, "unread") is None and inbox.unread_count(liaison) == 0
    assert scope_of(liaison).station_ids == scope_of(world.users["liaison"]).station_ids


def test_the_user_read_with_the_session_is_the_users_own_query(postgres):
    """The row the session's read brings is the row the user's own query reads, every
    column and everything read with it; it serves the one user it was read for, once."""
    world = make_world()
    user = world.users["committee"]
    _tell(user, received(world), "w")
    client = _client(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    own = auth._by_pk(type(user)).rows(user.pk)[0]
    data, _expiry = auth.session_with_user("default", "liaison_session", key, timezone.now())
    assert data
    assert auth._read_with_session(user.pk) == own
    assert auth._read_with_session(user.pk) is auth._NOT_WITH_SESSION
    auth.session_with_user("default", "liaison_session", key, timezone.now())
    assert auth._read_with_session(user.pk + 1) is auth._NOT_WITH_SESSION
    assert auth._read_with_session(user.pk) is auth._NOT_WITH_SESSION


def test_a_session_whose_user_is_gone_is_nobodys(postgres):
    world = make_world()
    user = world.users["liaison"]
    client = _client(user)
    assert client.get("/staff/").status_code == 200
    type(user).objects.filter(pk=user.pk).delete()
    response = client.get("/staff/cases/")
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_a_sessions_row_names_its_user():
    from liaison.base.models import Session

    world = make_world()
    user = world.users["committee"]
    client = _client(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.get(session_key=key).user_id == user.pk
    client.post("/staff/logout/")
    assert not Session.objects.filter(session_key=key).exists()


def _tell(user, case, key: str) -> Notification:
    """An unread in-app message to ``user`` about ``case``."""
    return Notification.objects.create(
        kind=NotificationKind.CASE_ESCALATED, channel=Channel.IN_APP, user=user,
        subject_type="suggestions.case", subject_id=case.pk,
        recipient_key=f"user:{user.pk}", title=f"消息{key}", dedupe_key=key,
        due_date=case.received_at.date(),
    )  # fmt: skip


def _unread(page) -> int:
    """The header's unread count as shown (none shown: 0)."""
    found = re.search(r'<span class="unread-count"[^>]*>(\d+)</span>', page.content.decode())
    return int(found.group(1)) if found else 0


def test_a_session_ended_elsewhere_ends_here_at_once():
    world = make_world()
    client = _client(world.users["committee"])
    assert client.get("/staff/cases/").status_code == 200
    from liaison.base.models import Session

    Session.objects.all().delete()
    response = client.get("/staff/cases/")
    assert response.status_code == 302
    assert "/staff/login/" in response["Location"]


def _counts(queries) -> int:
    return sum("COUNT(" in query["sql"].upper() for query in queries.captured_queries)


def test_a_list_over_the_count_limit_is_counted_once_a_minute(monkeypatch):
    monkeypatch.setattr(paging, "COUNT_LIMIT", 2)
    world = make_world()
    for _ in range(3):
        received(world)
    client = _client(world.users["committee"])
    first = client.get("/staff/cases/")
    assert first.context["listing"].page.paginator.capped
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/staff/cases/")
    assert again.context["listing"].page.paginator.capped
    assert "More than" in again.text or "超过" in again.text
    assert len(again.context["listing"].page.object_list) == 3
    # The header's unread count is the only COUNT left.
    assert _counts(queries) == 1
    # Under the limit a list is counted exactly, every time: a filtered list, and another
    # user's list of the same page.
    with CaptureQueriesContext(connection) as queries:
        filtered = client.get("/staff/cases/", {"q": "没有这样的案件"})
    assert filtered.context["listing"].page.paginator.count == 0
    assert _counts(queries) == 2
    township = _client(world.users["township_committee"]).get("/staff/cases/")
    assert township.context["listing"].page.paginator.capped  # counted for itself


def test_the_audit_chain_holds_words_in_any_script():
    first = audit(action=AuditAction.READ, username="张三", detail='按姓名搜索：李四 "引号"')
    second = audit(action=AuditAction.EXPORT, username="", detail="台账 ledger ✓")
    assert second.previous_hash == first.hash
    for row in AuditRecord.objects.order_by("id"):
        assert row.hash == row.compute_hash()
    assert verify() == []


def test_the_audit_chain_appends_in_one_statement_on_postgresql():
    audit(action=AuditAction.READ, username="warm")
    with CaptureQueriesContext(connection) as queries:
        audit(action=AuditAction.READ, username="someone", object_type="suggestions.case")
    # PostgreSQL: one call of liaison_audit_append. SQLite: the last hash and the insert
    # in a transaction of their own (a savepoint inside the test's).
    assert len(queries) == (1 if connection.vendor == "postgresql" else 4)
    assert verify() == []


def test_the_user_of_a_session_is_read_as_the_orm_reads_it():
    from django.contrib.auth import get_user_model

    from liaison.base.auth import UserBackend

    world = make_world()
    user = world.users["committee"]
    user.last_login = user.date_joined
    user.save()
    read = UserBackend().get_user(str(user.pk))
    orm = get_user_model().objects.get(pk=user.pk)
    names = [field.attname for field in orm._meta.concrete_fields]
    assert [getattr(read, n) for n in names] == [getattr(orm, n) for n in names]
    assert read._state.adding is False and read._state.db == "default"
    assert UserBackend().get_user(987654) is None
    assert UserBackend().get_user("not an id") is None
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert UserBackend().get_user(user.pk) is None


def test_expired_sessions_are_deleted_at_night():
    import datetime as dt

    from liaison.base.models import Session
    from liaison.base.tasks import purge_expired_sessions
    from liaison.celery import SWEEPS

    world = make_world()
    client = _client(world.users["committee"])
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    gone = Session.objects.create(
        session_key="x" * 32, session_data="", expire_date=timezone.now() - dt.timedelta(1)
    )
    assert purge_expired_sessions() == 1
    assert not Session.objects.filter(pk=gone.pk).exists()
    assert Session.objects.filter(session_key=key).exists()
    assert client.get("/staff/cases/").status_code == 200
    assert SWEEPS["sessions-purge"]["task"] == purge_expired_sessions.name
