"""One form per move of the case flow (cases/flow.py), through the staff-move mechanism
(liaison/base/staff_moves.py): field names are the service's keyword names, so a
service's ValidationError lands next to the field it names; the reception desk's forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from liaison.base import staff_moves
from liaison.base.pickers import PickerSelect, PickerSelectMultiple
from liaison.base.staff_moves import MovePages, StaffMove
from representatives.models import Representative
from stations.models import VisitChannel
from suggestions.cases import services
from suggestions.cases.flow import CASES
from suggestions.cases.scopes import cases_visible_to
from suggestions.cases.services.common import units_for
from suggestions.models import Authority, CaseCategory, HandlingUnit, ReplyResult, Satisfaction

NOTE = {"label": _("Note"), "widget": forms.Textarea(attrs={"rows": 2})}


class MoveForm(staff_moves.MoveForm):
    @property
    def case(self):
        return self.row


class RegisterForm(MoveForm):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=CaseCategory.objects.filter(active=True)
    )
    authority = forms.ChoiceField(label=_("Authority"), choices=Authority.choices)
    is_key = forms.BooleanField(label=_("Key case"), required=False)
    note = forms.CharField(required=False, **NOTE)


class AssignForm(MoveForm):
    unit = forms.ModelChoiceField(label=_("Handling unit"), queryset=HandlingUnit.objects.none())
    workdays = forms.IntegerField(
        label=_("Working days to reply"),
        required=False,
        min_value=1,
        max_value=250,
        help_text=_("Empty: the jurisdiction's rule."),
    )
    note = forms.CharField(required=False, **NOTE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(self.case)
        self.fields["unit"].widget = PickerSelect("staff:pick-units", params={"case": self.case.pk})


class ReferForm(AssignForm):
    co_units = forms.ModelMultipleChoiceField(
        label=_("Co-units"), queryset=HandlingUnit.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_units"].queryset = units_for(self.case)
        self.fields["co_units"].widget = PickerSelectMultiple(
            "staff:pick-units", params={"case": self.case.pk}
        )


class ReportForm(AssignForm):
    note = forms.CharField(
        label=_("Report and list of matters"), widget=forms.Textarea(attrs={"rows": 4})
    )


class NoteForm(MoveForm):
    note = forms.CharField(required=False, **NOTE)


class AnswerForm(NoteForm):
    reply = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))
    public_reply = forms.CharField(
        label=_("Answer to the constituent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Empty: the answer itself. Shown on the status page."),
    )


class SuperviseForm(NoteForm):
    meeting = forms.BooleanField(label=_("A coordination meeting was called"), required=False)
    escalation_level = forms.TypedChoiceField(
        label=_("Escalation level"), coerce=int, required=False, empty_value=None
    )
    is_key = forms.BooleanField(label=_("Key case"), required=False)

    @classmethod
    def row_key(cls, case) -> tuple:
        return case.escalation_level, case.is_key

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        low = self.case.escalation_level
        self.fields["escalation_level"].choices = [
            (level, str(level)) for level in range(low, services.MAX_ESCALATION_LEVEL + 1)
        ]
        self.fields["escalation_level"].initial = low
        self.fields["is_key"].initial = self.case.is_key


class SetPlanForm(MoveForm):
    handler = forms.CharField(label=_("Handler"), max_length=50)
    plan = forms.CharField(label=_("Plan and timing"), widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def row_key(cls, case) -> tuple:
        return case.handler, case.plan

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].initial = self.case.handler
        self.fields["plan"].initial = self.case.plan


class ExtensionForm(MoveForm):
    until = forms.DateField(label=_("New deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


PUBLIC_REPLY = {
    "label": _("Reply to the constituent"),
    "widget": forms.Textarea(attrs={"rows": 3}),
    "help_text": _("Shown on the status page: no names, phones, addresses or ID numbers."),
}


class ReplyForm(MoveForm):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[
            c for c in ReplyResult.choices if c[0] in {ReplyResult.SOLVED, ReplyResult.CANNOT}
        ],
        widget=forms.RadioSelect,
    )
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 4}))
    public_reply = forms.CharField(**PUBLIC_REPLY)


class ReplyInProgressForm(MoveForm):
    reply = forms.CharField(label=_("Reply"), widget=forms.Textarea(attrs={"rows": 4}))
    public_reply = forms.CharField(**PUBLIC_REPLY)
    next_reply_on = forms.DateField(
        label=_("Next reply by"), widget=forms.DateInput(attrs={"type": "date"})
    )


class PublicReplyForm(NoteForm):
    public_reply = forms.CharField(**PUBLIC_REPLY)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["public_reply"].initial = self.case.public_reply


class SendBackForm(MoveForm):
    reason = forms.CharField(
        label=_("Why this case is not ours"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ConcludeForm(MoveForm):
    conclusion = forms.CharField(
        label=_("Why it cannot be solved now"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the constituent: no names, phones, addresses or ID numbers."),
    )


class CallbackForm(MoveForm):
    reached = forms.TypedChoiceField(
        label=_("Reached the constituent"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    satisfaction = forms.ChoiceField(
        label=_("The constituent is"),
        choices=[("", _("— not reached —")), *Satisfaction.choices],
        required=False,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FeedbackForm(NoteForm):
    satisfaction = forms.ChoiceField(
        label=_("The constituent is"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("How the result was told"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ArchiveForm(NoteForm):
    public_summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("No names, phones, addresses or ID numbers."),
    )
    published = forms.BooleanField(label=_("Publish the outcome"), required=False)


class ReopenForm(NoteForm):
    unit = forms.ModelChoiceField(
        label=_("Handling unit"), queryset=HandlingUnit.objects.none(), required=False
    )
    workdays = forms.IntegerField(
        label=_("Working days to reply"), required=False, min_value=1, max_value=250
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_for(self.case)
        self.fields["unit"].widget = PickerSelect("staff:pick-units", params={"case": self.case.pk})


class MergeForm(NoteForm):
    into = forms.CharField(label=_("Tracking code of the case to merge into"), max_length=12)

    def clean_into(self):
        code = self.cleaned_data["into"].strip().upper()
        target = cases_visible_to(self.user).filter(tracking_code=code).values("pk").first()
        if target is None:
            raise ValidationError(_("No such case."))
        return target["pk"]

    def service_kwargs(self) -> dict:
        kwargs = dict(self.cleaned_data)
        kwargs["into_id"] = kwargs.pop("into")
        return kwargs


class WithdrawForm(MoveForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


PAGES = MovePages(
    flow=CASES,
    id_argument="case_id",
    moves={
        "register": StaffMove(RegisterForm, services.case_register),
        "assign_on_spot": StaffMove(AssignForm, services.case_assign_on_spot),
        "refer_by_letter": StaffMove(ReferForm, services.case_refer_by_letter),
        "report_to_township": StaffMove(ReportForm, services.case_report_to_township),
        "to_suggestion": StaffMove(NoteForm, services.case_to_suggestion),
        "answer_consultation": StaffMove(AnswerForm, services.case_answer_consultation),
        "supervise": StaffMove(SuperviseForm, services.case_supervise),
        "set_plan": StaffMove(SetPlanForm, services.case_set_plan),
        "request_extension": StaffMove(ExtensionForm, services.case_request_extension),
        "approve_extension": StaffMove(NoteForm, services.case_approve_extension),
        "refuse_extension": StaffMove(NoteForm, services.case_refuse_extension),
        "send_back": StaffMove(SendBackForm, services.case_send_back),
        "reply": StaffMove(ReplyForm, services.case_reply),
        "reply_in_progress": StaffMove(ReplyInProgressForm, services.case_reply_in_progress),
        "edit_public_reply": StaffMove(PublicReplyForm, services.case_edit_public_reply),
        "record_callback": StaffMove(CallbackForm, services.case_record_callback),
        "conclude": StaffMove(ConcludeForm, services.case_conclude),
        "conclude_follow_up": StaffMove(ConcludeForm, services.case_conclude),
        "feedback": StaffMove(FeedbackForm, services.case_feedback),
        "archive": StaffMove(ArchiveForm, services.case_archive),
        "reopen": StaffMove(ReopenForm, services.case_reopen),
        "merge": StaffMove(MergeForm, services.case_merge),
        "withdraw": StaffMove(WithdrawForm, services.case_withdraw),
    },
)


class BulkAssignForm(forms.Form):
    """Assign many registered cases to one unit, each in its own transaction."""

    MOVES = {
        "refer_by_letter": services.case_refer_by_letter,
        "assign_on_spot": services.case_assign_on_spot,
    }

    cases = forms.TypedMultipleChoiceField(label=_("Cases"), coerce=int)
    move = forms.ChoiceField(
        label=_("How"),
        choices=[
            ("refer_by_letter", _("Refer by letter")),
            ("assign_on_spot", _("Assign on the spot")),
        ],
    )
    unit = forms.ModelChoiceField(
        label=_("Handling unit"),
        queryset=HandlingUnit.objects.none(),
        widget=PickerSelect("staff:pick-units"),
    )
    workdays = forms.IntegerField(
        label=_("Working days to reply"), required=False, min_value=1, max_value=250
    )

    def __init__(self, *args, case_ids, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(pk, pk) for pk in case_ids]
        self.fields["unit"].queryset = units


# THE RECEPTION DESK


class VisitForm(forms.Form):
    """The visit, built for speed: phone first (a returning constituent is recognised),
    then name; everything else has a sensible default."""

    constituent_phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={"autofocus": True, "inputmode": "tel", "autocomplete": "off"}
        ),
    )
    constituent_name = forms.CharField(
        label=_("Name"), max_length=50, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    constituent_address = forms.CharField(label=_("Address"), max_length=200, required=False)
    constituent_id_number = forms.CharField(label=_("ID number"), max_length=30, required=False)
    people_count = forms.IntegerField(label=_("People"), min_value=1, max_value=1000, initial=1)
    representatives = forms.ModelMultipleChoiceField(
        label=_("Received by"),
        queryset=Representative.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=VisitChannel.choices)
    visited_at = forms.DateTimeField(
        label=_("When"),
        # The browser's datetime-local input only reads the ISO form with a "T".
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, representatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representatives"].queryset = representatives


class CaseRowForm(forms.Form):
    title = forms.CharField(label=_("Issue raised"), max_length=200)
    description = forms.CharField(
        label=_("Details"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


CaseRowFormSet = forms.formset_factory(CaseRowForm, extra=2, max_num=20, validate_max=True)
