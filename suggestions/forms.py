"""The public forms: an opinion online, and the status lookup. Thin: the rules are in
liaison/validators.py and suggestions/online.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.models import Region
from liaison.regions import RegionLevel
from liaison.validators import (
    normalize_phone,
    validate_mobile,
    validate_no_markup,
    validate_person_name,
    validate_plain_text,
)
from stations.models import Station
from suggestions.models import CaseCategory
from suggestions.online import station_for_region


def _region_choices():
    regions = Region.objects.filter(level=RegionLevel.TOWNSHIP).only("code", "name")
    return [("", _("— choose —")), *((r.code, r.name) for r in regions)]


class StationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, station):
        return f"{station.region.name} · {station.name}"


class SubmitForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=50,
        validators=[validate_plain_text, validate_person_name],
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        validators=[validate_mobile],
        help_text=_("We send the tracking code to this number by SMS."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    region = forms.ChoiceField(
        label=_("Township or street"),
        choices=_region_choices,
        required=False,
        help_text=_("Choose a station, or only your township and we pass it to its station."),
    )
    station = StationChoiceField(
        label=_("Station"),
        queryset=Station.objects.active().select_related("region").order_by("region_id", "name"),
        required=False,
        empty_label=_("— choose —"),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=CaseCategory.objects.filter(active=True),
        empty_label=_("— choose —"),
    )
    title = forms.CharField(
        label=_("Subject"),
        max_length=100,
        validators=[validate_plain_text, validate_no_markup],
    )
    description = forms.CharField(
        label=_("Your opinion"),
        max_length=2000,
        min_length=5,
        validators=[validate_plain_text, validate_no_markup],
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    consent = forms.BooleanField(
        label=_("I have read how my personal information is used and agree."),
        error_messages={"required": _("Please read and accept the notice on personal data.")},
    )
    # A honeypot: hidden from people, filled in by bots.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("This submission could not be accepted."))
        station, code = cleaned.get("station"), cleaned.get("region")
        if station is None and code:
            region = Region.objects.filter(code=code).first()
            station = station_for_region(region) if region else None
            if station is None:
                self.add_error("region", _("No station takes opinions in this township yet."))
        elif station is None and "station" not in self.errors:
            self.add_error("station", _("Choose a station or your township."))
        cleaned["station"] = station
        return cleaned


class StatusForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "ABCD-EFGH-JK"}),
    )
    check = forms.CharField(
        label=_("Last 4 digits of the phone you gave"),
        max_length=8,
        # Not echoed back into the page after a wrong guess.
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
