"""Forms for the staff pages, one per move of the suggestion flow, through the staff-move
mechanism (liaison/base/staff_moves.py: ``PAGES``): field names are the service's
keywords, so a service's field error lands next to its field. Choices are scoped to
the user (units they may pick). And the filing form."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from liaison.base import staff_moves
from liaison.base.pickers import PickerSelect, PickerSelectMultiple
from liaison.base.scopes import scope_of
from liaison.base.staff_moves import MovePages, StaffMove
from suggestions.models import CaseCategory
from suggestions.proposals import selectors, services
from suggestions.proposals.flow import SUGGESTIONS, committee, signer
from suggestions.proposals.models import (
    ContactStage,
    ContactWay,
    KeyLeader,
    Rating,
    ReplyCategory,
    ReturnReason,
    Session,
)
from suggestions.shared.scopes import units_visible_to


class MoveForm(staff_moves.MoveForm):
    @property
    def suggestion(self):
        return self.row


def _textarea(rows: int = 3):
    return forms.Textarea(attrs={"rows": rows})


class NoteForm(MoveForm):
    note = forms.CharField(label=_("Note"), widget=_textarea(2), required=False)


class FileForm(MoveForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=_textarea(8), max_length=10000)
    session = forms.ChoiceField(label=_("Filed"), choices=Session.choices)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=CaseCategory.objects.filter(active=True), required=False
    )


class FilingForm(FileForm):
    """Filing on the staff pages: as the representative, with co-signers of the same
    congress the user may see."""

    co_signers = forms.ModelMultipleChoiceField(
        label=_("Co-signers"),
        queryset=None,
        required=False,
        help_text=_("Representatives of the same congress who sign it with you."),
    )

    def __init__(self, *args, lead=None, case=None, **kwargs):
        if case is not None:
            kwargs.setdefault(
                "initial",
                {"title": case.title, "content": case.description, "category": case.category_id},
            )
        super().__init__(*args, **kwargs)
        self.lead, self.case = lead, case
        self.fields["co_signers"].queryset = selectors.co_signer_choices(user=self.user, lead=lead)
        self.fields["co_signers"].widget = PickerSelectMultiple(
            "staff:pick-representatives", params={"lead": lead.pk} if lead else {}
        )
        if lead is not None and lead.pk != scope_of(self.user).representative_id:
            self.fields["co_signers"].help_text = _(
                "Representatives of the same congress who signed the paper form with %(name)s."
            ) % {"name": lead.name}
        if case is not None:
            self.fields["content"].help_text = _(
                "Taken from the case: write it as the representative's suggestion and leave out "
                "the constituent's name, phone and address; a published suggestion is public."
            )

    def file(self):
        """The service, or False with its field errors next to the fields."""
        try:
            return services.suggestion_file(
                actor=self.user,
                lead_representative=self.lead,
                source_case_id=self.case.pk if self.case else None,
                **self.cleaned_data,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
            return False


class KeyFields(forms.Form):
    is_key = forms.BooleanField(label=_("Key suggestion"), required=False)
    key_leader = forms.ChoiceField(
        label=_("Led by"), choices=[("", "—"), *KeyLeader.choices], required=False
    )
    key_leader_name = forms.CharField(label=_("Leader's name"), max_length=50, required=False)


class AcceptForm(KeyFields, NoteForm):
    field_order = ["category", "is_key", "key_leader", "key_leader_name", "note"]
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=CaseCategory.objects.filter(active=True), required=False
    )


class ReturnForm(NoteForm):
    field_order = ["reason", "note"]
    reason = forms.ChoiceField(label=_("Reason"), choices=ReturnReason.choices)


class MergeForm(NoteForm):
    field_order = ["into", "note"]
    into = forms.CharField(
        label=_("Merge into suggestion number"),
        max_length=12,
        help_text=_("The number of the identical suggestion, e.g. 2026-0012."),
    )

    def clean_into(self):
        found = (
            selectors.suggestion_list(user=self.user)
            .filter(region_id=self.suggestion.region_id, number=self.cleaned_data["into"].strip())
            .values_list("pk", flat=True)
            .first()
        )
        if found is None:
            raise ValidationError(_("No suggestion of this congress has that number."))
        return found

    def service_kwargs(self) -> dict:
        return {"into_id": self.cleaned_data["into"], "note": self.cleaned_data["note"]}


class AssignForm(KeyFields, NoteForm):
    field_order = ["lead_unit", "co_units", "is_key", "key_leader", "key_leader_name", "note"]
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"), queryset=None, widget=PickerSelect("staff:pick-units")
    )
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-units"),
        queryset=None,
        required=False,
        widget=PickerSelectMultiple("staff:pick-units"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = units_visible_to(self.user).filter(active=True)
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units


class ReasonForm(MoveForm):
    reason = forms.CharField(label=_("Reason"), widget=_textarea(), max_length=500)


class StartForm(MoveForm):
    handler_name = forms.CharField(label=_("Handler"), max_length=50)
    handler_phone = forms.CharField(label=_("Handler's phone"), max_length=20, required=False)
    plan = forms.CharField(label=_("Handling plan"), widget=_textarea())
    planned_reply_date = forms.DateField(label=_("Planned reply date"))


class ContactForm(MoveForm):
    stage = forms.ChoiceField(label=_("Stage"), choices=ContactStage.choices)
    way = forms.ChoiceField(label=_("Way"), choices=ContactWay.choices)
    on = forms.DateField(label=_("Date"))
    note = forms.CharField(label=_("Note"), widget=_textarea())


class OpinionForm(MoveForm):
    opinion = forms.CharField(label=_("Opinion"), widget=_textarea())


class ReplyForm(MoveForm):
    """A joint suggestion is answered to each signer: the common text, or one's own."""

    category = forms.ChoiceField(
        label=_("Reply category"), choices=ReplyCategory.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("Reply"), widget=_textarea(5))
    expected_by = forms.DateField(label=_("Expected to be solved by"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        signings = list(self.suggestion.signings.all()) if self.suggestion else []
        if len(signings) > 1:
            for signing in signings:
                self.fields[f"to_{signing.representative_id}"] = forms.CharField(
                    label=_("Reply to %(name)s, if different")
                    % {"name": signing.representative.name},
                    widget=_textarea(2),
                    required=False,
                )

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        per_signer = {
            int(name[3:]): data.pop(name) for name in list(data) if name.startswith("to_")
        }
        data["per_signer"] = {rep: text for rep, text in per_signer.items() if text.strip()}
        return data


class RateForm(NoteForm):
    """背靠背: a signer rates their own reply; the committee enters a signer's paper form."""

    field_order = ["representative", "rating", "note"]

    rating = forms.ChoiceField(label=_("Rating"), choices=Rating.choices, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.suggestion is not None and committee(self.user, self.suggestion):
            own = signer(self.user, self.suggestion)
            self.fields["representative"] = forms.ModelChoiceField(
                label=_("Rating of (paper form)"),
                queryset=selectors.signers_yet_to_rate(self.suggestion),
                required=not own,
                empty_label=_("— myself, as a signer —") if own else "—",
            )


PAGES = MovePages(
    flow=SUGGESTIONS,
    id_argument="suggestion_id",
    moves={
        "accept": StaffMove(AcceptForm, services.suggestion_accept),
        "merge": StaffMove(MergeForm, services.suggestion_merge),
        "return": StaffMove(ReturnForm, services.suggestion_return),
        "assign": StaffMove(AssignForm, services.suggestion_assign),
        "send_back": StaffMove(ReasonForm, services.suggestion_send_back),
        "start": StaffMove(StartForm, services.suggestion_start),
        "record_contact": StaffMove(ContactForm, services.suggestion_record_contact),
        "counit_opinion": StaffMove(OpinionForm, services.suggestion_counit_opinion),
        "request_extension": StaffMove(ReasonForm, services.suggestion_request_extension),
        "approve_extension": StaffMove(NoteForm, services.suggestion_approve_extension),
        "refuse_extension": StaffMove(NoteForm, services.suggestion_refuse_extension),
        "reply": StaffMove(ReplyForm, services.suggestion_reply),
        "rate": StaffMove(RateForm, services.suggestion_rate),
        "rehandle": StaffMove(NoteForm, services.suggestion_rehandle),
        "follow_up": StaffMove(NoteForm, services.suggestion_follow_up),
        "close": StaffMove(NoteForm, services.suggestion_close),
        "publish": StaffMove(MoveForm, services.suggestion_publish),
        "unpublish": StaffMove(NoteForm, services.suggestion_unpublish),
    },
)
