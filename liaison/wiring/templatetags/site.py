"""The public frame (liaison/wiring/frames.py): the header, the footer with the congress's
name, phone and ICP number (settings), and the way in for staff."""

from django import template

from liaison.wiring import frames

register = template.Library()


@register.simple_tag(takes_context=True)
def public_frame(context, part: str):
    return frames.public_frame(context["request"], part)
