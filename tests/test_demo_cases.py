import pytest

from liaison.wiring import demo
from suggestions.cases.scopes import cases_visible_to
from suggestions.models import Case, Step

pytestmark = pytest.mark.django_db


def test_demo_county_has_cases_in_every_step():
    """seed_demo leaves visits and cases at every step, each with its history,
    visible to the demo liaison and committee logins."""
    demo.seed(password="demo-password-for-tests")
    steps = set(Case.objects.values_list("step", flat=True))
    assert steps == set(Step.values)
    assert all(case.events.exists() for case in Case.objects.all())
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    assert cases_visible_to(users.get(username="committee")).count() == Case.objects.count()
    # Spread over the county: the demo liaison sees its own station's cases, not the rest.
    mine = cases_visible_to(users.get(username="liaison"))
    assert 0 < mine.count() < Case.objects.count()
    assert Case.objects.values("station").distinct().count() >= 10
    assert Case.objects.values("category").distinct().count() >= 8
    # The demo's unit login has work at every step from handling on.
    theirs = cases_visible_to(users.get(username="unit"))
    assert {Step.HANDLING, Step.SUPERVISING, Step.REPLIED, Step.ARCHIVED} <= set(
        theirs.values_list("step", flat=True)
    )


def test_demo_cases_go_to_the_unit_of_their_category():
    from liaison.wiring.demo.cases import HOUSING, UNIT_OF_CATEGORY

    housing = {title for title, _text, _category in HOUSING}

    demo.seed(password="demo-password-for-tests")
    assigned = Case.objects.exclude(lead_unit=None).select_related("category", "lead_unit")
    units = {case.lead_unit.name for case in assigned}
    assert len(units) >= 8
    for case in assigned:
        if case.title in housing:
            assert case.lead_unit.name == "县住房和城乡建设局"
        else:
            assert case.lead_unit.name == UNIT_OF_CATEGORY[case.category.code]


def test_demo_shows_overdue_cases_escalated_by_the_first_sweep():
    """The demo's first sweep leaves cases at escalation levels 1 and 2, a due-soon
    reminder and flagged unregistered cases, and the unit, county and city logins have
    them in their in-app messages."""
    from django.contrib.auth import get_user_model

    from liaison.base.notifications.models import Channel, Notification, NotificationKind

    demo.seed(password="demo-password-for-tests")
    levels = set(
        Case.objects.filter(step=Step.SUPERVISING).values_list("escalation_level", flat=True)
    )
    assert {1, 2} <= levels
    escalations = Case.objects.filter(events__kind="escalate", events__actor=None)
    assert escalations.exists()
    assert Case.objects.filter(events__kind="remind_due_soon").count() == 1
    assert Case.objects.filter(events__kind="flag_unregistered", step=Step.RECEIVED).exists()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["unit", "committee", "city", "liaison"]
        )
    }
    inbox = Notification.objects.filter(channel=Channel.IN_APP)
    assert inbox.filter(user=users["unit"], kind=NotificationKind.CASE_ESCALATED).exists()
    assert inbox.filter(user=users["unit"], kind=NotificationKind.CASE_DUE_SOON).exists()
    assert inbox.filter(user=users["committee"], kind=NotificationKind.CASE_ESCALATED).exists()
    assert inbox.filter(user=users["city"], kind=NotificationKind.CASE_ESCALATED).exists()
    assert inbox.filter(user=users["liaison"], kind=NotificationKind.CASE_UNREGISTERED).exists()


REPLAYED = {
    "receive",
    "register",
    "refer_by_letter",
    "supervise",
    "reply",
    "reply_in_progress",
    "feedback",
    "archive",
    "merge",
    "withdraw",
    "conclude_follow_up",
}


def test_demo_timelines_read_as_they_happened():
    """Each demo case's moves are stamped between its visit and the seeding, in office
    hours and in order, not all at the seeding second; the visit in office hours too."""
    import datetime as dt

    from django.utils import timezone

    seeded = timezone.now()
    demo.seed(password="demo-password-for-tests")
    archived = Case.objects.filter(step=Step.ARCHIVED).first()
    moves = list(archived.events.filter(kind__in=REPLAYED).order_by("at", "id"))
    assert len(moves) >= 6
    assert moves[0].at == archived.received_at
    assert [m.at for m in moves] == sorted(m.at for m in moves)
    assert moves[-1].at - moves[0].at > dt.timedelta(days=1)
    assert archived.closed_at == moves[-1].at < seeded
    for case in Case.objects.all():
        local = timezone.localtime(case.received_at)
        assert dt.time(9) <= local.time() < dt.time(17)
        # The moves the demo replays; this morning's (sweeps, ratings, the committee turning
        # a case into a suggestion) are stamped at the seeding, as they would be.
        for event in case.events.filter(kind__in=REPLAYED):
            assert event.at < seeded
            assert dt.time(9) <= timezone.localtime(event.at).time() < dt.time(17), event.kind
