"""The public footer: a way in for staff, the congress's name, phone and ICP number from
the settings; a favicon on every page."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_public_footer_links_to_the_staff_login_and_names_the_congress(settings):
    settings.SITE_CONGRESS_NAME = "长沙县人大常委会"
    settings.SITE_CONTACT_PHONE = "0731-84012345"
    settings.SITE_ICP_NUMBER = "湘ICP备12345678号"
    page = Client().get("/").content.decode()
    footer = page.split('class="site-footer"')[1]
    assert 'href="/staff/login/"' in footer
    assert "长沙县人大常委会" in footer and "0731-84012345" in footer
    assert "湘ICP备12345678号" in footer
    assert 'rel="icon"' in page


def test_without_settings_the_footer_still_has_the_staff_login():
    page = Client().get("/").content.decode()
    assert 'href="/staff/login/"' in page.split('class="site-footer"')[1]
    assert "ICP" not in page.split('class="site-footer"')[1]
