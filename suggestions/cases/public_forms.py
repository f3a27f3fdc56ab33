"""The public forms: an opinion online, and the status lookup. Thin: the rules are in
liaison/validators.py and suggestions/online.py, the place picker's lists in
stations/places.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.base.form_renderer import FAST
from liaison.base.models import Region
from liaison.base.regions import CODE_RE
from liaison.base.validators import (
    normalize_phone,
    validate_mobile,
    validate_no_markup,
    validate_person_name,
    validate_plain_text,
)
from stations import places
from stations.models import Station
from suggestions.cases.online import station_for_region
from suggestions.models import CaseCategory, Satisfaction


class StationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, station):
        return f"{station.region.name} · {station.name}"


def _station_label(station: dict) -> str:
    return f"{station['region_name']} · {station['name']}"


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
    # The place picker: county, then township, then (optionally) a station in it. Each
    # select lists one region's children (``stations.places``); the station field checks
    # any active station, but the page shows only those of the chosen township.
    county = forms.ChoiceField(
        label=_("County or district"),
        required=False,
        error_messages={"invalid_choice": _("Choose a county or district from the list.")},
    )
    region = forms.ChoiceField(
        label=_("Township or street"),
        required=False,
        error_messages={"invalid_choice": _("Choose a township or street from the list.")},
    )
    station = StationChoiceField(
        label=_("Station"),
        queryset=Station.objects.active().select_related("region"),
        required=False,
        empty_label=_("None: the township's or street's station takes it"),
        help_text=_("Optional. Without one, your opinion goes to the township's station."),
        error_messages={
            "invalid_choice": _("This station does not take opinions online. Choose another.")
        },
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._fill_places()

    def _raw(self, name: str) -> str:
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        return str(value or "").strip()

    def _fill_places(self) -> None:
        """The choices of the three place selects, from what was chosen so far: a
        station (``?station=`` of the QR code) implies its township and county, a
        township its county; a single county is chosen already."""
        county, township, station = self._raw("county"), self._raw("region"), self._raw("station")
        if station.isdigit() and not township:
            code = Station.objects.active().filter(pk=station).values_list("region", flat=True)
            township = places.township_of(code[0]) if code else ""
        if CODE_RE.match(township) and not county:
            county = places.county_of(township)
        all_counties = places.counties()
        if not county and len(all_counties) == 1:
            county = all_counties[0]["code"]
        if not self.is_bound:
            self.initial.update(county=county, region=township, station=station)

        self.fields["county"].choices = [("", _("— choose —")), *_grouped(all_counties)]
        townships = places.children(county) if _known(county, all_counties) else None
        if townships is None:
            self.fields["region"].choices = [("", _("— choose the county first —"))]
        else:
            self.fields["region"].choices = [
                ("", _("— choose —")),
                *((t["code"], t["name"]) for t in townships["children"]),
            ]
        found = None
        if townships and any(t["code"] == township for t in townships["children"]):
            found = places.stations(township)
        station_field = self.fields["station"]
        # Validation uses the queryset (one row by id); the page shows only these.
        station_field.widget.choices = [
            ("", station_field.empty_label),
            *((s["id"], _station_label(s)) for s in (found["stations"] if found else [])),
        ]

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(_("This submission could not be accepted."))
        station, township = cleaned.get("station"), cleaned.get("region")
        county = cleaned.get("county")
        if station is not None:
            if township and places.township_of(station.region_id) != township:
                self.add_error(
                    "station", _("This station is not in the township or street you chose.")
                )
            elif county and places.county_of(station.region_id) != county:
                self.add_error("station", _("This station is not in the county you chose."))
        elif township:
            region = Region.objects.filter(code=township).first()
            station = station_for_region(region) if region else None
            if station is None:
                self.add_error("region", _("No station takes opinions in this township yet."))
        elif not {"county", "region", "station"} & set(self.errors):
            if county:
                self.add_error("region", _("Choose your township or street, or a station."))
            else:
                self.add_error("county", _("Choose your county or district."))
        cleaned["station"] = station
        return cleaned


def _known(code: str, counties: list[dict]) -> bool:
    return any(c["code"] == code for c in counties)


def _grouped(counties: list[dict]) -> list:
    """Counties as options, grouped by city when there is more than one city."""
    cities = list(dict.fromkeys(c["city"] for c in counties))
    if len(cities) <= 1:
        return [(c["code"], c["name"]) for c in counties]
    return [
        (city, [(c["code"], c["name"]) for c in counties if c["city"] == city]) for city in cities
    ]


class StatusForm(forms.Form):
    # Rendered on every lookup: the same markup as Django's renderer, in half the time.
    default_renderer = FAST

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


class RatingForm(forms.Form):
    """The constituent rates the reply on the status page: the code and the check come
    again with it (hidden, from the lookup they just made), and are checked again."""

    code = forms.CharField(max_length=30, widget=forms.HiddenInput)
    check = forms.CharField(max_length=8, widget=forms.HiddenInput)
    satisfaction = forms.ChoiceField(
        label=_("How satisfied are you with the reply?"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=500,
        validators=[validate_plain_text, validate_no_markup],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Please leave out names, phone numbers and addresses."),
    )
