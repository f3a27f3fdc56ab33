"""The staff case page's cheaper reads show what the ORM's did: its related rows (one
compiled query on PostgreSQL), its files, and its move forms kept as rendered."""

import io

import pytest
from django import forms
from django.db import connection
from django.utils import translation
from PIL import Image

from liaison.base.staff_moves import row_free
from stations.scopes import visits_visible_to
from suggestions.cases import selectors
from suggestions.cases.scopes import cases_visible_to
from suggestions.cases.staff.forms import PAGES
from suggestions.models import CaseEvent, CaseRating, Step
from tests.case_world import case_at, make_world
from tests.clock import frozen
from workarea.attachments import attachment_add, attachments_of, files_brought
from workarea.models import Attachment

pytestmark = [pytest.mark.django_db, frozen()]


def test_the_related_rows_are_what_the_orm_reads():
    world = make_world()
    case = case_at(world, Step.FEEDBACK)  # co-units, a rating, a history with actors
    brought = selectors.case_for_page(user=world.users["committee"], pk=case.pk)
    parts = selectors.case_page_parts(case)
    # What the page's case brought (PostgreSQL) is what the parts' own query reads.
    assert _comparable(selectors.case_page_parts(brought)) == _comparable(parts)
    assert parts["co_unit_names"] == [world.co_unit.name]
    ratings = CaseRating.objects.filter(case=case).order_by("round", "at")
    assert [(r.pk, r.source, r.satisfaction, r.comment, r.at) for r in parts["ratings"]] == [
        (r.pk, r.source, r.satisfaction, r.comment, r.at) for r in ratings
    ]
    assert ratings
    events = CaseEvent.objects.filter(case=case).select_related("actor").order_by("at", "id")
    seen = [
        (e.pk, e.kind, e.at, e.note, e.from_step, e.to_step, e.get_to_step_display())
        for e in parts["events"]
    ]
    assert seen == [
        (e.pk, e.kind, e.at, e.note, e.from_step, e.to_step, e.get_to_step_display())
        for e in events
    ]
    actors = [(e.actor.get_full_name(), e.actor.username) for e in parts["events"]]
    assert actors == [(e.actor.get_full_name(), e.actor.username) for e in events]


def _comparable(parts: dict) -> tuple:
    def fields(row):
        return [(f.attname, getattr(row, f.attname, None)) for f in type(row)._meta.concrete_fields]

    return (
        parts["co_unit_names"],
        [fields(rating) for rating in parts["ratings"]],
        [(fields(event), event.actor and event.actor.username) for event in parts["events"]],
    )


def test_the_case_and_its_visit_are_read_in_each_users_scope_as_the_orm_reads_them():
    """The case page's case and visit come from SQL built once per scope: every role of
    the world finds what the ORM finds, with the same joined rows, and nothing else."""
    world = make_world()
    cases = [case_at(world, step) for step in (Step.RECEIVED, Step.HANDLING, Step.FEEDBACK)]
    for user in world.users.values():
        for case in cases:
            expected = (
                cases_visible_to(user)
                .select_related("category", "station", "region", "lead_unit", "callback")
                .filter(pk=case.pk)
                .first()
            )
            found = selectors.case_for_page(user=user, pk=case.pk)
            assert (found is None) == (expected is None)
            if found is None:
                continue
            fields = [f.attname for f in type(case)._meta.concrete_fields]
            assert [getattr(found, n) for n in fields] == [getattr(expected, n) for n in fields]
            for name in ("category", "station", "region", "lead_unit"):
                assert getattr(found, name) == getattr(expected, name)
            assert getattr(found.category, "name", None) == getattr(expected.category, "name", None)
            assert found.station.name == expected.station.name
            visit = selectors.case_page_visit(user=user, case=found)
            expected_visit = visits_visible_to(user).filter(pk=case.visit_id).first()
            assert visit == expected_visit
            if visit is not None:
                shown = ("constituent_name", "constituent_phone", "constituent_address")
                shown += ("visited_at", "channel", "station_id")
                assert [getattr(visit, n) for n in shown] == [
                    getattr(expected_visit, n) for n in shown
                ]
            # The case read by itself (a case from elsewhere) finds the same visit.
            alone = type(case).objects.get(pk=case.pk)
            assert selectors.case_page_visit(user=user, case=alone) == expected_visit
    # An id beyond the database's integers finds nothing, as the ORM's lookup does.
    assert selectors.case_for_page(user=world.users["admin"], pk=2**70) is None


def test_the_files_are_what_the_orm_reads():
    world = make_world()
    case = case_at(world, Step.HANDLING)
    photo = io.BytesIO()
    Image.new("RGB", (20, 10), (200, 30, 30)).save(photo, "PNG")
    photo.seek(0)
    photo.name, photo.size = "scan.png", len(photo.getvalue())
    attachment_add(
        actor=world.users["committee"], subject_type="case", subject_id=case.pk, file=photo
    )
    photo.seek(0)
    attachment_add(
        actor=world.users["committee"], subject_type="case", subject_id=case.pk, file=photo
    )
    expected = Attachment.objects.filter(subject_type="case", subject_id=case.pk)
    wanted = [(f.pk, f.token, f.name, f.size, f.uploaded_at, f.is_image) for f in expected]
    page_case = selectors.case_for_page(user=world.users["committee"], pk=case.pk)
    sources = [attachments_of("case", case.pk)]
    if connection.vendor == "postgresql":  # the page's case brings its files along
        sources.append(files_brought(page_case))
    else:
        assert files_brought(page_case) is None
    for files in sources:
        shown = [(f.pk, f.token, f.name, f.size, f.uploaded_at, f.is_image) for f in files]
        assert shown == wanted
    assert len(wanted) == 2
    assert files_brought(case) is None  # a case read elsewhere brought nothing


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_kept_move_form_is_the_form_as_rendered(language):
    world = make_world()
    user = world.users["committee"]
    case = case_at(world, Step.HANDLING)
    with translation.override(language):
        moves = PAGES.context(user=user, row=case)["forms"]
        assert {t.name for t, _form in moves} >= {"supervise", "reply", "withdraw"}
        for _transition, form in moves:
            form.as_div()  # kept
            again = PAGES.form(form.prefix, user=user, row=case)
            assert again.as_div() == forms.Form.as_div(again)
        # The supervision form shows the case's level and key flag: another case, another form.
        supervise = PAGES.form("supervise", user=user, row=case)
        case.escalation_level, case.is_key = 2, True
        changed = PAGES.form("supervise", user=user, row=case)
        assert changed.as_div() == forms.Form.as_div(changed) != supervise.as_div()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_form_that_depends_on_nothing_of_the_row_is_shown_without_being_built(language):
    """The page's forms are built when more than their HTML is asked: those whose HTML
    cannot depend on the row are shown from the kept HTML, the same as the form's own."""
    world = make_world()
    user = world.users["committee"]
    case = case_at(world, Step.HANDLING)
    assert row_free(PAGES.moves["reply"].form) and row_free(PAGES.moves["withdraw"].form)
    # Initial values or choices from the row, a unit picker: built every time.
    for name in ("supervise", "set_plan", "assign_on_spot", "register", "edit_public_reply"):
        assert not row_free(PAGES.moves[name].form), name
    with translation.override(language):
        moves = dict(PAGES.context(user=user, row=case)["forms"])
        for transition, lazy in moves.items():
            built = PAGES.form(transition.name, user=user, row=case)
            assert lazy.as_div() == forms.Form.as_div(built)
            assert lazy._form is None or not row_free(type(built)), transition.name
        reply = next(lazy for t, lazy in moves.items() if t.name == "reply")
        assert "reply" in reply.fields  # asked for more than the HTML: built
        assert reply._form is not None and str(reply) == reply.as_div()


def test_bound_forms_and_database_choices_are_rendered_each_time():
    world = make_world()
    user = world.users["committee"]
    handling, received_case = case_at(world, Step.HANDLING), case_at(world, Step.RECEIVED)
    bound = PAGES.form("reply", user=user, row=handling, data={"reply": ""})
    assert bound.html_key() is None
    # The categories are rows of the database: the registration form is never kept.
    assert PAGES.form("register", user=user, row=received_case).html_key() is None
    assert PAGES.form("reply", user=user, row=handling).html_key() is not None


def test_a_form_kept_by_its_rows_values_is_the_form_built_for_the_row():
    """A move form whose HTML depends on its case only through ``row_key`` (the
    supervision's escalation level and key flag, the plan's handler and text) renders
    from the HTML kept under those values as the form built for the case renders."""
    from liaison.base.staff_moves import LazyMoveForm, keyed_by_row

    world = make_world()
    user = world.users["committee"]
    keyed = [name for name, move in PAGES.moves.items() if keyed_by_row(move.form)]
    assert {"supervise", "set_plan"} <= set(keyed)
    handling = case_at(world, Step.HANDLING)
    others = [case_at(world, Step.HANDLING) for _ in range(2)]
    others[0].escalation_level, others[0].is_key = 2, True
    others[1].handler, others[1].plan = "王五", "本周内 <处理>"
    for language in ("zh-hans", "en"):
        with translation.override(language):
            for case in (handling, *others, handling):
                for name in keyed:
                    built = PAGES.form(name, user=user, row=case).as_div()
                    for _ in range(2):
                        lazy = LazyMoveForm(PAGES, PAGES.flow[name], user=user, row=case)
                        assert lazy.as_div() == built
                    assert lazy._form is None  # the second time from the kept HTML
