"""What Jinja2 pages (liaison/base/pages.py) call from this layer: the staff frame, the
case lists' body and a subject's files — the template language's tags of
liaison/wiring/templatetags and workarea/templatetags, given the Jinja2 page's context."""

from jinja2 import pass_context
from liaison.base import jinja
from liaison.wiring.templatetags import staff
from workarea.templatetags import workarea


@pass_context
def staff_frame(context, part: str) -> str:
    return staff.staff_frame(context, part)


@pass_context
def case_list(context) -> str:
    return staff.case_list(context)


@pass_context
def attachments(context, subject_type: str, subject_id: int, **options) -> str:
    return workarea.attachments(context, subject_type, subject_id, **options)


def register() -> None:
    jinja.add_globals(staff_frame=staff_frame, case_list=case_list, attachments=attachments)
