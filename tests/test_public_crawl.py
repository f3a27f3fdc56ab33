"""The crawl: with the demo county plus cases whose constituents' names, phones, addresses
and ID numbers are known, every public page and public API answer reachable from ``/``
and from the API is fetched, and none of those values appears anywhere."""

import datetime as dt
import re
from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from duty.models import ContactWay
from duty.services.contacts import contact_made_record, fixed_contact_add
from duty.services.reports import duty_report_draft, duty_report_publish
from stations.models import Station, VisitChannel
from stations.selectors import public_reception_days
from suggestions.cases import services
from suggestions.models import CaseCategory
from tests.clock import frozen
from tests.public_helpers import fresh_cache, opinion  # noqa: F401

# The demo plans reception days in 2026 only: the crawl starts from one still to come.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache"), frozen()]

PEOPLE = [
    # name, phone, address, ID number (valid check digits)
    ("欧阳隐私", "13987654321", "星沙街道幸福路88号3栋502室", "430121199001011237"),
    ("阿依古丽·买买提", "15073112233", "黄花镇花园村七组21号", "430121198506150027"),
    ("𠮷田秘密", "18673100099", "泉塘街道东方小区9栋1单元", "430121200203040015"),
]
ONLINE = ("司马匿名", "17700001234")
HREF = re.compile(r'(?:href|src)="([^"#]+)"')
# Each kind of page (path with ids as N) is fetched this many times at most: the demo has
# 1,300 profiles, and one more of a kind that was clean adds nothing but time.
PER_KIND = 40
SKIP = ("/admin/", "/staff/", "/api/docs/", "/i18n/", "/static/")


def secrets() -> list[str]:
    values = [value for person in PEOPLE for value in person] + list(ONLINE)
    # Also the forms people write phones in.
    values += [f"{p[:3]} {p[3:7]} {p[7:]}" for _, p, _, _ in PEOPLE]
    return values


def kind_of(url: str) -> str:
    parts = urlsplit(url)
    keys = "&".join(sorted(k.split("=")[0] for k in parts.query.split("&") if k))
    return re.sub(r"\d+", "N", parts.path) + ("?" + keys if keys else "")


def seed_private_cases(client) -> list:
    User = get_user_model()
    liaison = User.objects.get(username="liaison")
    committee = User.objects.get(username="committee")
    unit_user = User.objects.get(username="unit")
    station = Station.objects.filter(staff__user=liaison).first()
    category = CaseCategory.objects.get(code="transport")
    cases = []
    for name, phone, address, id_number in PEOPLE:
        visit = services.visit_record(
            actor=liaison,
            station=station,
            channel=VisitChannel.HOUSEHOLD,
            visited_at=timezone.now(),
            constituent_name=name,
            constituent_phone=phone,
            constituent_address=address,
            constituent_id_number=id_number,
            cases=[{"title": "路面破损", "description": "组里村道坑洼积水。"}],
        )
        cases.append(visit.cases.get())
    # One carried to a published outcome, with staff notes that name the person.
    case = cases[0]
    services.case_register(case_id=case.pk, actor=liaison, category=category, authority="township")
    unit = unit_user.unit_roles.get().unit
    services.case_refer_by_letter(case_id=case.pk, actor=committee, unit=unit)
    services.case_reply(
        case_id=case.pk,
        actor=unit_user,
        result="solved",
        reply=f"已修补路面，已电话告知{PEOPLE[0][0]}",
        public_reply="您反映的村道已修补完毕。",
    )
    services.case_feedback(
        case_id=case.pk,
        actor=liaison,
        satisfaction="satisfied",
        note=f"电话告知{PEOPLE[0][0]}（{PEOPLE[0][1]}）",
    )
    # The constituent's own rating, from the status page, with a comment.
    rated = client.post(
        "/cases/status/rate/",
        {
            "code": case.tracking_code,
            "check": PEOPLE[0][1][-4:],
            "satisfaction": "satisfied",
            "comment": "修得很快，谢谢",
        },
    )
    assert rated.status_code == 200
    services.case_archive(
        case_id=case.pk, actor=committee, public_summary="村道已修补完毕", published=True
    )
    # One under follow-up, then concluded by the committee: the conclusion is public.
    followed = cases[1]
    services.case_register(
        case_id=followed.pk, actor=liaison, category=category, authority="township"
    )
    services.case_refer_by_letter(case_id=followed.pk, actor=committee, unit=unit)
    services.case_reply_in_progress(
        case_id=followed.pk,
        actor=unit_user,
        reply=f"已列入计划，联系人{PEOPLE[1][0]}",
        public_reply="已列入明年道路计划。",
        next_reply_on=timezone.localdate() + dt.timedelta(days=30),
    )
    services.case_conclude(
        case_id=followed.pk, actor=committee, conclusion="需县级立项，目前无法解决。"
    )
    response = client.post(
        "/cases/submit/",
        opinion(station, name=ONLINE[0], phone=ONLINE[1], description="门口的路灯坏了一个月。"),
    )
    assert response.status_code == 200
    seed_fixed_contacts(station)
    return cases


def seed_fixed_contacts(station) -> None:
    """The same people as a representative's fixed contacts (固定联系群众), each met once,
    and the representative's published report to the voters, which counts them."""
    rep = station.memberships.select_related("representative").first().representative
    if rep.user is None:
        rep.user = get_user_model().objects.create(username="crawl-rep")
        rep.save(update_fields=["user"])
    for name, phone, address, _id in PEOPLE:
        contact = fixed_contact_add(
            actor=rep.user,
            representative=rep,
            name=name,
            phone=phone,
            address=address,
            region=station.region,
            note=f"{name}的邻居",
        )
        contact_made_record(
            contact_id=contact.pk,
            actor=rep.user,
            date=timezone.localdate(),
            way=ContactWay.VISIT,
            note=f"{name}说路灯坏了",
        )
    report = duty_report_draft(actor=rep.user, year=timezone.localdate().year)
    duty_report_publish(report_id=report.pk, actor=rep.user)


def crawl(client, starts: list[str]) -> dict[str, str]:
    seen, fetched, kinds = set(starts), {}, Counter()
    queue = deque(starts)
    while queue:
        url = queue.popleft()
        kind = kind_of(url)
        if kinds[kind] >= PER_KIND:
            continue
        kinds[kind] += 1
        response = client.get(url, HTTP_ACCEPT="application/json, text/html")
        assert response.status_code < 500, url
        if response.status_code != 200 or response.streaming:
            continue
        body = response.content.decode("utf-8", errors="replace")
        fetched[url] = body
        links = HREF.findall(body) + re.findall(
            r'"(?:next|url|calendar_url|form_url|photo)": ?"([^"]+)"', body
        )
        for link in links:
            absolute = urljoin(f"http://testserver{url}", link.replace("&amp;", "&"))
            parts = urlsplit(absolute)
            if parts.netloc != "testserver" or parts.path.startswith(SKIP):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return fetched


def test_no_constituent_data_on_any_public_page_or_api_answer(client, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-pass-2026")
    call_command("seed_demo")
    cases = seed_private_cases(client)
    station = cases[0].station
    day = public_reception_days().first()
    starts = [
        f"/api/v1/public/stations/{station.pk}/",
        f"/api/v1/public/reception-days/{day.pk}/",
        *(
            f"/api/v1/public/representatives/{m.representative_id}/"
            for m in station.memberships.all()
        ),
        "/",
        f"/stations/{station.pk}/",
        *(f"/representatives/{m.representative_id}/" for m in station.memberships.all()),
        "/representatives/grid/?q=小区",
        "/cases/outcomes/",
        "/api/v1/public/representatives/",
        "/api/v1/public/stations/",
        "/api/v1/public/reception-days/",
        # The opinion form's place picker.
        f"/api/v1/public/regions/{station.region_id[:6]}000000/children/",
        f"/api/v1/public/regions/{station.region_id[:9]}000/stations/",
        "/api/schema/",
    ]
    pages = crawl(client, starts)
    for code_case in cases:
        check = code_case.visit.constituent_phone[-4:]
        page = client.post("/cases/status/", {"code": code_case.tracking_code, "check": check})
        assert page.status_code == 200
        pages[f"status:{code_case.pk}"] = page.content.decode()
        api = client.post(
            "/api/v1/public/case-status/",
            {"code": code_case.tracking_code, "check": check},
            content_type="application/json",
        )
        assert api.status_code == 200
        pages[f"api-status:{code_case.pk}"] = api.content.decode()

    kinds = Counter(kind_of(url) for url in pages if url.startswith("/"))
    # The crawl reached every kind of public page and API answer.
    for expected in (
        "/",
        "/representatives/",
        "/representatives/N/",
        "/stations/",
        "/stations/N/",
        "/stations/N/poster/",
        "/stations/N/qr.svg",
        "/stations/N/calendar.ics",
        "/representatives/N/calendar.ics",
        "/cases/submit/",
        "/cases/status/",
        "/cases/outcomes/",
        "/api/vN/public/representatives/",
        "/api/vN/public/representatives/?cursor",
        "/api/vN/public/representatives/N/",
        "/api/vN/public/stations/",
        "/api/vN/public/stations/N/",
        "/api/vN/public/reception-days/",
        "/api/vN/public/reception-days/N/",
        "/api/vN/public/regions/N/children/",
        "/api/vN/public/regions/N/stations/",
    ):
        assert expected in kinds, (expected, sorted(kinds))
    assert "村道已修补完毕" in pages["/cases/outcomes/"]
    # The status page and its API show the reply written for the constituent, their own
    # rating, and the committee's conclusion.
    first, second = (f"status:{c.pk}" for c in cases[:2])
    assert "您反映的村道已修补完毕。" in pages[first] and 'data-testid="rated"' in pages[first]
    assert "需县级立项，目前无法解决。" in pages[second]
    assert "已列入明年道路计划。" in pages[f"api-status:{cases[1].pk}"]
    assert len(pages) > 300
    leaks = [(url, value) for url, body in pages.items() for value in secrets() if value in body]
    assert leaks == []
