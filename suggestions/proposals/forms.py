"""Forms for the staff pages, one per move: a view builds ``MOVES[name].form``,
and on a valid POST calls ``perform(...)``, which runs the service and puts any
refusal next to its field. Choices are scoped to the user (units they may pick)."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from liaison.scopes import units_visible_to
from suggestions.models import CaseCategory
from suggestions.proposals import services
from suggestions.proposals.models import (
    ContactStage,
    ContactWay,
    KeyLeader,
    Rating,
    ReplyCategory,
    ReturnReason,
    Session,
)


class MoveForm(forms.Form):
    def __init__(self, *args, user=None, suggestion=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.suggestion = user, suggestion

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class NoteForm(MoveForm):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)


class RequiredNoteForm(MoveForm):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea)


class FileForm(MoveForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=forms.Textarea, max_length=10000)
    session = forms.ChoiceField(label=_("Filed"), choices=Session.choices)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=CaseCategory.objects.filter(active=True), required=False
    )


class KeyFields(forms.Form):
    is_key = forms.BooleanField(label=_("Key suggestion"), required=False)
    key_leader = forms.ChoiceField(
        label=_("Led by"), choices=[("", "—"), *KeyLeader.choices], required=False
    )
    key_leader_name = forms.CharField(label=_("Leader's name"), max_length=50, required=False)


class AcceptForm(KeyFields, NoteForm):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=CaseCategory.objects.filter(active=True), required=False
    )


class ReturnForm(RequiredNoteForm):
    reason = forms.ChoiceField(label=_("Reason"), choices=ReturnReason.choices)


class AssignForm(KeyFields, NoteForm):
    lead_unit = forms.ModelChoiceField(label=_("Lead unit"), queryset=None)
    co_units = forms.ModelMultipleChoiceField(label=_("Co-units"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_visible_to(self.user).filter(active=True)
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units


class ReasonForm(MoveForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea, max_length=500)


class StartForm(MoveForm):
    handler_name = forms.CharField(label=_("Handler"), max_length=50)
    handler_phone = forms.CharField(label=_("Handler's phone"), max_length=20, required=False)
    plan = forms.CharField(label=_("Handling plan"), widget=forms.Textarea)
    planned_reply_date = forms.DateField(label=_("Planned reply date"))


class ContactForm(MoveForm):
    stage = forms.ChoiceField(label=_("Stage"), choices=ContactStage.choices)
    way = forms.ChoiceField(label=_("Way"), choices=ContactWay.choices)
    on = forms.DateField(label=_("Date"))
    note = forms.CharField(label=_("Note"), widget=forms.Textarea)


class OpinionForm(MoveForm):
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea)


class ReplyForm(MoveForm):
    category = forms.ChoiceField(label=_("Reply category"), choices=ReplyCategory.choices)
    text = forms.CharField(label=_("Reply"), widget=forms.Textarea)
    expected_by = forms.DateField(label=_("Expected to be solved by"), required=False)


class RateForm(NoteForm):
    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices, widget=forms.RadioSelect)


@dataclass(frozen=True)
class Move:
    form: type[MoveForm]
    service: object


MOVES = {
    "accept": Move(AcceptForm, services.suggestion_accept),
    "return": Move(ReturnForm, services.suggestion_return),
    "assign": Move(AssignForm, services.suggestion_assign),
    "send_back": Move(ReasonForm, services.suggestion_send_back),
    "start": Move(StartForm, services.suggestion_start),
    "record_contact": Move(ContactForm, services.suggestion_record_contact),
    "counit_opinion": Move(OpinionForm, services.suggestion_counit_opinion),
    "request_extension": Move(ReasonForm, services.suggestion_request_extension),
    "approve_extension": Move(NoteForm, services.suggestion_approve_extension),
    "refuse_extension": Move(RequiredNoteForm, services.suggestion_refuse_extension),
    "reply": Move(ReplyForm, services.suggestion_reply),
    "rate": Move(RateForm, services.suggestion_rate),
    "rehandle": Move(RequiredNoteForm, services.suggestion_rehandle),
    "follow_up": Move(NoteForm, services.suggestion_follow_up),
    "close": Move(NoteForm, services.suggestion_close),
    "publish": Move(MoveForm, services.suggestion_publish),
    "unpublish": Move(RequiredNoteForm, services.suggestion_unpublish),
}


def perform(name: str, form: MoveForm):
    """Run the move for a valid form; field errors from the service go next to their
    fields (and False is returned). NotAllowed and IllegalTransition propagate: the
    view answers them as the API does."""
    try:
        return MOVES[name].service(
            suggestion_id=form.suggestion.pk, actor=form.user, **form.service_kwargs()
        )
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
        return False
