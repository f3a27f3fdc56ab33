"""The public site's topic form (民生实事我建议): the opinion form's protections — a
honeypot, plain text only, a mobile phone checked, rate limits per address and phone
(in the view), consent to the use of personal data."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.base.models import Region
from liaison.base.regions import RegionLevel
from liaison.base.validators import normalize_phone, validate_no_markup, validate_plain_text
from projects.models import Category


class TopicForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("County or township"),
        queryset=Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP]),
        to_field_name="code",
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    title = forms.CharField(
        label=_("Topic"), max_length=200, validators=[validate_plain_text, validate_no_markup]
    )
    description = forms.CharField(
        label=_("What should be done, and why"),
        max_length=4000,
        min_length=5,
        validators=[validate_plain_text, validate_no_markup],
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=50,
        required=False,
        validators=[validate_plain_text, validate_no_markup],
    )
    phone = forms.CharField(
        label=_("Your mobile phone (not published)"),
        max_length=20,
        help_text=_("Only staff of the congress see it, to ask you back."),
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
        return cleaned
