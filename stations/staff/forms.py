from django import forms
from django.utils.translation import gettext_lazy as _

from representatives.models import Representative


class ReceptionDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    notice_lead_workdays = forms.IntegerField(
        label=_("Notice lead (working days)"), min_value=0, max_value=30
    )
    representatives = forms.ModelMultipleChoiceField(
        label=_("On duty"),
        queryset=Representative.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, seated, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representatives"].queryset = seated


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason for cancelling"), max_length=200)


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
