"""The duty pages and services beyond the quotas: availability in the planner, photos and
documents, station-day confirmation, the report to the voters on the public profile,
groups managed by the committee, the grid lookup, and refusals for every other role."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from duty.models import ActivityKind, Organiser
from duty.quotas import quotas_for
from duty.services.activities import activity_confirm, activity_record
from duty.services.reports import duty_report_draft, duty_report_publish
from liaison.base.flow import NotAllowed
from representatives.models import GridCell, GridKind, RepresentativeGroup
from representatives.services import unavailability_add
from stations.models import Attendance, DutyAssignment, Station
from stations.planning import reception_plan_generate
from tests.clock import frozen
from tests.duty_world import county_committee, held_days, household_visit, rep_with_login
from tests.factories import (
    HandlingUnitFactory,
    StationFactory,
    UserFactory,
    committee_user,
    liaison_user,
    region,
    unit_user,
)
from tests.reception_factories import staffed_station

pytestmark = [pytest.mark.django_db, frozen(dt.date(2026, 11, 25))]


def test_the_planner_leaves_out_marked_days_and_reports_what_it_could_not_place():
    station, (official, grassroots) = staffed_station("official", "grassroots")
    unavailability_add(
        actor=committee_user("430121000000"),
        representative=grassroots,
        start_date=dt.date(2027, 2, 1),
        end_date=dt.date(2027, 2, 28),
        reason="外出学习",
    )
    report = reception_plan_generate(year=2027, stations=Station.objects.filter(pk=station.pk))
    february = DutyAssignment.objects.filter(date__month=2, date__year=2027)
    assert not february.filter(representative=grassroots).exists()
    assert february.filter(representative=official).exists()
    assert [(u.date.month, u.unavailable) for u in report.unplaced] == [(2, (grassroots.name,))]


def test_only_the_representative_or_their_committee_marks_availability():
    rep = rep_with_login()
    with pytest.raises(NotAllowed):
        unavailability_add(
            actor=rep_with_login().user,
            representative=rep,
            start_date=dt.date(2027, 1, 1),
            end_date=dt.date(2027, 1, 2),
        )


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_photos_are_checked_stored_privately_and_served_only_in_scope(client, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    rep = rep_with_login()
    activity = household_visit(county_committee(), rep, on=dt.date(2026, 11, 20), people=3)
    client.force_login(rep.user)
    url = f"/staff/duty/activities/{activity.pk}/files/"
    fake = SimpleUploadedFile("x.png", b"not an image at all", content_type="image/png")
    assert client.post(url, {"file": fake}).status_code == 400
    assert client.post(url, {"file": SimpleUploadedFile("现场.png", png())}).status_code == 302
    attached = activity.files.get()
    assert attached.content_type == "image/png" and attached.name == "现场.png"
    assert not attached.file.name.endswith("现场.png")
    served = client.get(f"/staff/duty/activities/{activity.pk}/files/{attached.pk}/")
    assert served.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in served["Cache-Control"].split(",")}
    client.force_login(rep_with_login().user)
    assert (
        client.get(f"/staff/duty/activities/{activity.pk}/files/{attached.pk}/").status_code == 404
    )


def test_a_representative_confirms_a_held_day_and_an_absence_does_not_count(client):
    rep = rep_with_login()
    held_days(rep, [dt.date(2026, 3, 16), dt.date(2026, 6, 15)])
    first, second = DutyAssignment.objects.filter(representative=rep).order_by("date")
    client.force_login(rep.user)
    client.post(f"/staff/duty/station-days/{first.pk}/", {"attendance": Attendance.CONFIRMED})
    client.post(f"/staff/duty/station-days/{second.pk}/", {"attendance": Attendance.ABSENT})
    first.refresh_from_db()
    assert first.attendance == Attendance.CONFIRMED
    quota = next(q for q in quotas_for([rep])[rep.pk] if q.code == "station_days")
    assert quota.count == 1
    client.force_login(rep_with_login().user)
    response = client.post(f"/staff/duty/station-days/{first.pk}/", {"attendance": "absent"})
    assert response.status_code == 404


def test_a_published_report_is_on_the_public_profile_a_draft_is_not(client):
    rep = rep_with_login()
    household_visit(county_committee(), rep, on=dt.date(2026, 11, 20), people=12)
    report = duty_report_draft(actor=rep.user, year=2026)
    assert "12" in report.text
    profile = f"/representatives/{rep.pk}/"
    assert report.title not in client.get(profile).content.decode()
    duty_report_publish(report_id=report.pk, actor=rep.user)
    page = client.get(profile).content.decode()
    assert report.title in page
    assert client.get(f"/representatives/{rep.pk}/reports/2026/").status_code == 200
    with pytest.raises(NotAllowed):
        duty_report_draft(actor=county_committee(), year=2026)


def test_the_report_downloads_as_word_and_prints_for_its_author_only(client):
    rep = rep_with_login()
    report = duty_report_draft(actor=rep.user, year=2026)
    client.force_login(rep.user)
    word = client.get(f"/staff/duty/reports/{report.pk}/word/")
    assert word.status_code == 200 and word.content[:2] == b"PK"
    assert client.get(f"/staff/duty/reports/{report.pk}/print/").status_code == 200
    client.force_login(rep_with_login().user)
    assert client.get(f"/staff/duty/reports/{report.pk}/word/").status_code == 404


def test_the_committee_manages_groups_of_its_region_only(client):
    member = rep_with_login()
    committee = county_committee()
    client.force_login(committee)
    response = client.post(
        "/staff/duty/groups/new/",
        {
            "name": "星沙代表小组",
            "kind": "mixed",
            "region": "430121000000",
            "leader": member.pk,
            "members": [member.pk],
        },
    )
    group = RepresentativeGroup.objects.get(name="星沙代表小组")
    assert response.status_code == 302 and list(group.members.all()) == [member]
    other = committee_user("430122000000")
    client.force_login(other)
    assert client.get(f"/staff/duty/groups/{group.pk}/").status_code == 404
    # The group's leader follows the members' quotas.
    client.force_login(member.user)
    assert member.name in client.get(f"/staff/duty/quotas/?group={group.pk}").content.decode()


def test_activities_refuse_whoever_does_not_organise_them():
    rep = rep_with_login()
    activity = activity_record(
        actor=rep.user,
        kind=ActivityKind.TALK,
        title="宣讲民法典",
        date=dt.date(2026, 11, 10),
        place="星沙社区",
        organiser=Organiser.COMMITTEE,
        region_id="430121000000",
        representatives=[rep],
    )
    unit = unit_user(HandlingUnitFactory())
    for outsider in (
        rep.user,
        unit,
        liaison_user(StationFactory()),
        committee_user("430122000000"),
    ):
        with pytest.raises(NotAllowed):
            activity_confirm(activity_id=activity.pk, actor=outsider)
    with pytest.raises(NotAllowed):
        activity_record(
            actor=UserFactory(),
            kind=ActivityKind.TALK,
            title="x",
            date=dt.date(2026, 11, 10),
            place="y",
            organiser=Organiser.COMMITTEE,
            region_id="430121000000",
            representatives=[rep],
        )


def test_staff_pages_are_not_found_for_a_handling_unit(client):
    client.force_login(unit_user(HandlingUnitFactory()))
    for url in ("/staff/duty/", "/staff/duty/contacts/", "/staff/duty/availability/"):
        assert client.get(url).status_code == 404


def test_my_grids_representative_shows_published_representatives_only(client):
    shown, hidden = rep_with_login(name="网格甲"), rep_with_login(name="网格乙", published=False)
    cell = GridCell.objects.create(
        name="幸福小区", kind=GridKind.COMPOUND, region=region("430121001000")
    )
    cell.representatives.set([shown, hidden])
    page = client.get("/representatives/grid/", {"q": "幸福"}).content.decode()
    assert "网格甲" in page and "网格乙" not in page
    assert timezone.localdate().year == 2026
