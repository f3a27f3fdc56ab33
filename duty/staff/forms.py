"""The duty pages' forms: each field named as its service's keyword, so that a service's
field errors land beside the field (``liaison/base/staff_moves.apply_errors``)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from duty.models import ActivityKind, ContactWay, Organiser
from liaison.base import regions
from liaison.base.models import Region
from liaison.base.regions import RegionLevel
from liaison.base.staff_moves import MoveForm
from representatives.models import Representative, RepresentativeGroup
from stations.models import Station
from stations.scopes import stations_managed_by

DATE = forms.DateInput(attrs={"type": "date"})


class RepresentativeChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.get_level_display()}）"


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    date = forms.DateField(label=_("date"), widget=DATE)
    place = forms.CharField(label=_("place"), max_length=200)
    summary = forms.CharField(
        label=_("summary"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    people_reached = forms.IntegerField(label=_("people reached"), min_value=0, initial=0)
    representatives = RepresentativeChoice(
        label=_("representatives who took part"),
        queryset=Representative.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, representatives=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representatives"].queryset = representatives.order_by("name")


class ActivityNewForm(ActivityForm):
    organiser = forms.ChoiceField(label=_("organised by"), choices=Organiser.choices)
    group = forms.ModelChoiceField(
        label=_("group"), queryset=RepresentativeGroup.objects.none(), required=False
    )
    station = forms.ModelChoiceField(
        label=_("station"), queryset=Station.objects.none(), required=False
    )
    region_id = forms.ModelChoiceField(
        label=_("committee"),
        queryset=Region.objects.none(),
        required=False,
        help_text=_("For an activity a committee organised: its region."),
    )

    def __init__(self, *args, groups=None, stations=None, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self.fields["station"].queryset = stations
        self.fields["region_id"].queryset = regions

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        region = data.pop("region_id")
        return {**data, "region_id": region.pk if region else None}


class ReasonForm(MoveForm):
    reason = forms.CharField(
        label=_("reason"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RaiseCaseForm(MoveForm):
    station = forms.ModelChoiceField(label=_("station"), queryset=Station.objects.none())
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(
        label=_("what was found"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stations = stations_managed_by(self.user).filter(active=True)
        if self.row is not None and self.row.station_id:
            stations = stations.filter(pk=self.row.station_id)
        elif self.row is not None:
            stations = stations.filter(regions.within("region_id", self.row.region.bounds))
        self.fields["station"].queryset = stations.order_by("region_id", "name")


class FileForm(forms.Form):
    file = forms.FileField(
        label=_("photo or document"),
        help_text=_("JPEG, PNG, PDF, Word or Excel; at most 10 MB."),
    )


class ContactForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=50)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    region = forms.ModelChoiceField(label=_("township or village"), queryset=Region.objects.none())
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions.filter(
            level__in=[RegionLevel.TOWNSHIP, RegionLevel.VILLAGE]
        ).order_by("code")


class ContactMadeForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DATE, initial=timezone.localdate)
    way = forms.ChoiceField(label=_("how"), choices=ContactWay.choices)
    note = forms.CharField(label=_("what was said"), max_length=500, required=False)


class UnavailableForm(forms.Form):
    start_date = forms.DateField(label=_("from"), widget=DATE)
    end_date = forms.DateField(label=_("until"), widget=DATE)
    reason = forms.CharField(label=_("reason"), max_length=100, required=False)


class ReportForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 18}))


class GroupForm(forms.ModelForm):
    class Meta:
        model = RepresentativeGroup
        fields = ["name", "kind", "level", "industry", "region", "leader", "liaison", "members"]
        widgets = {"members": forms.SelectMultiple(attrs={"size": 10})}

    def __init__(self, *args, representatives=None, regions=None, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions.order_by("code")
        self.fields["leader"].queryset = representatives.order_by("name")
        self.fields["members"].queryset = representatives.order_by("name")
        self.fields["liaison"].queryset = users
        # People are known by name; the login only when they have none.
        self.fields["liaison"].label_from_instance = lambda u: u.get_full_name() or u.username
