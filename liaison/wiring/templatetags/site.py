"""The public footer: the congress's name, phone and ICP number (settings), and the way
in for staff."""

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("includes/site_footer.html")
def site_footer():
    return {
        "congress": settings.SITE_CONGRESS_NAME,
        "phone": settings.SITE_CONTACT_PHONE,
        "icp": settings.SITE_ICP_NUMBER,
    }
