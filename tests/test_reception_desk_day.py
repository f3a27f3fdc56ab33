"""The reception desk on a day without reception: the next reception day and who is on
duty, the walk-in channel (到站来访), and looking a phone up without complaints about
fields not filled yet."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from stations.models import ReceptionDay, Visit, VisitChannel
from stations.services import reception_day_set_duty
from tests.case_world import make_world
from tests.clock import frozen
from tests.test_staff_pages import _visit_post

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@frozen()
def test_without_a_reception_day_today_the_desk_shows_the_next_one_and_who_is_on_duty():
    world = make_world()
    day = ReceptionDay.objects.create(
        station=world.station,
        date=timezone.localdate() + dt.timedelta(days=5),
        place="便民服务中心二楼",
    )
    reception_day_set_duty(actor=None, day=day, representatives=[world.representative])
    page = client_for(world.users["liaison"]).get("/staff/reception/")
    text = page.content.decode()
    assert 'class="next-day"' in text
    assert day.date.strftime("%Y-%m-%d") in text and "便民服务中心二楼" in text
    assert world.representative.name in text.split('class="next-day"')[1].split("</p>")[1]
    # Someone who walks in: the channel the desk offers first on such a day.
    assert page.context["form"].initial["channel"] == VisitChannel.WALK_IN


@frozen()
def test_a_walk_in_visit_is_saved_with_its_channel():
    world = make_world()
    client = client_for(world.users["liaison"])
    response = client.post("/staff/reception/", _visit_post(world, channel=VisitChannel.WALK_IN))
    assert response.status_code == 302
    assert Visit.objects.get(constituent_name="李四").channel == VisitChannel.WALK_IN


@frozen()
def test_looking_a_phone_up_does_not_complain_about_the_name():
    """ "查询电话" showed "此项为必填项" under 姓名, which nobody had typed yet."""
    world = make_world()
    client = client_for(world.users["liaison"])
    data = _visit_post(world, constituent_phone="139-0731-5566", lookup="", save=None)
    data["constituent_name"] = ""
    page = client.post("/staff/reception/", data)
    assert page.status_code == 200
    assert "errorlist" not in page.content.decode()
    assert not Visit.objects.exists()
