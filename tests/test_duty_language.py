"""The duty pages in Simplified Chinese show no English UI text."""

import datetime as dt

import pytest
from django.test import Client

from duty.services.reports import duty_report_draft
from representatives.models import RepresentativeGroup
from tests.clock import frozen
from tests.duty_world import contacts, county_committee, held_days, household_visit, rep_with_login
from tests.factories import region
from tests.test_staff_language import english_words

pytestmark = [pytest.mark.django_db, frozen(dt.date(2026, 11, 25))]

# Names of file formats, written the same in Chinese.
FORMATS = {"JPEG", "PNG", "PDF", "Word", "Excel", "iCal"}


def test_duty_pages_have_no_untranslated_text_in_chinese():
    rep = rep_with_login()
    committee = county_committee()
    contacts(rep, 1, 1, on=dt.date(2026, 11, 2))
    held_days(rep, [dt.date(2026, 3, 16)])
    activity = household_visit(committee, rep, on=dt.date(2026, 11, 20), people=5)
    report = duty_report_draft(actor=rep.user, year=2026)
    group = RepresentativeGroup.objects.create(
        name="星沙代表小组", kind="mixed", region=region("430121000000")
    )
    contact = rep.fixed_contacts.get()
    pages = {
        rep.user: [
            "/staff/duty/",
            "/staff/duty/activities/",
            "/staff/duty/activities/new/",
            f"/staff/duty/activities/{activity.pk}/",
            "/staff/duty/contacts/",
            f"/staff/duty/contacts/{contact.pk}/",
            "/staff/duty/availability/",
            f"/staff/duty/reports/{report.pk}/",
            f"/staff/duty/reports/{report.pk}/print/",
        ],
        committee: [
            "/staff/duty/",
            f"/staff/duty/representatives/{rep.pk}/",
            f"/staff/duty/activities/{activity.pk}/",
            f"/staff/duty/activities/{activity.pk}/edit/",
            "/staff/duty/groups/",
            f"/staff/duty/groups/{group.pk}/",
            "/staff/duty/groups/new/",
        ],
    }
    found = {}
    for user, urls in pages.items():
        client = Client(headers={"accept-language": "zh-hans"})
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            if words := english_words(response.content.decode()) - FORMATS:
                found[url] = sorted(words)
    public = Client(headers={"accept-language": "zh-hans"})
    for url in (f"/representatives/{rep.pk}/", "/representatives/grid/?q=小区"):
        if words := english_words(public.get(url).content.decode()) - FORMATS:
            found[url] = sorted(words)
    assert found == {}
