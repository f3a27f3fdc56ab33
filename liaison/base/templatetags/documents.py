"""Filters of official documents (公文)."""

import datetime as dt

from django import template

register = template.Library()


@register.filter
def cn_date(value) -> str:
    """2026年11月30日, as official documents write dates whatever the page's language."""
    if not isinstance(value, dt.date):
        return ""
    return f"{value.year}年{value.month}月{value.day}日"
