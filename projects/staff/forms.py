"""The staff forms of livelihood projects; field names are the services' keywords, so
the services' field errors land beside them (liaison/base/staff_moves.py)."""

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from liaison.base.models import Region
from liaison.base.regions import RegionLevel, within
from liaison.base.staff_moves import MoveForm
from projects.models import BallotKind, Category, Choice, PassRule, RatingPeriod
from representatives.models import Representative
from stations.models import Station
from suggestions.models import HandlingUnit, Satisfaction

CONGRESS_LEVELS = [RegionLevel.COUNTY, RegionLevel.TOWNSHIP]


class TopicForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Congress (county or township)"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    title = forms.CharField(label=_("Topic"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    estimated_cost = forms.DecimalField(
        label=_("Estimated cost (10,000 yuan)"), required=False, max_digits=10, decimal_places=2
    )
    station = forms.ModelChoiceField(label=_("Station"), queryset=None, required=False)

    def __init__(self, *args, regions, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions.filter(level__in=CONGRESS_LEVELS).order_by("code")
        self.fields["station"].queryset = stations
        if not stations.exists():
            del self.fields["station"]


class ReasonForm(MoveForm):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class EmptyForm(MoveForm):
    pass


class EditForm(MoveForm):
    title = forms.CharField(label=_("Topic"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    estimated_cost = forms.DecimalField(
        label=_("Estimated cost (10,000 yuan)"), required=False, max_digits=10, decimal_places=2
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.row is not None:
            for name in self.fields:
                self.initial[name] = getattr(self.row, name)


class AssignForm(MoveForm):
    unit = forms.ModelChoiceField(label=_("Responsible unit"), queryset=None)
    budget = forms.DecimalField(
        label=_("Budget (10,000 yuan)"), required=False, max_digits=10, decimal_places=2
    )
    supervisors = forms.ModelMultipleChoiceField(
        label=_("Supervising representatives"), queryset=None, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = HandlingUnit.objects.filter(active=True).order_by("name")
        self.fields["supervisors"].queryset = Representative.objects.filter(
            within("region", self.row.region.bounds)
        ).order_by("name")


class MilestoneForm(MoveForm):
    title = forms.CharField(label=_("Milestone"), max_length=200, required=False)
    due_on = forms.DateField(
        label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReportForm(MoveForm):
    text = forms.CharField(
        label=_("Progress"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    progress = forms.IntegerField(label=_("Progress (%)"), required=False)
    milestone_id = forms.TypedChoiceField(
        label=_("Milestone done with this report"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone_id"].choices = [
            ("", "—"),
            *((m.pk, str(m)) for m in self.row.milestones.filter(done_on=None)),
        ]


class RateForm(MoveForm):
    period = forms.ChoiceField(label=_("Period"), choices=RatingPeriod.choices)
    rating = forms.ChoiceField(label=_("Rating"), choices=Satisfaction.choices)
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class VoteForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Congress (county or township)"), queryset=None)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    session = forms.CharField(label=_("Session"), max_length=100)
    kind = forms.ChoiceField(label=_("Ballot"), choices=BallotKind.choices)
    pass_rule = forms.ChoiceField(label=_("Pass rule"), choices=PassRule.choices)
    seats = forms.IntegerField(label=_("Number of projects"), min_value=1)
    members = forms.IntegerField(label=_("Representatives of the congress"), min_value=1)
    present = forms.IntegerField(label=_("Representatives present"), min_value=0)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions.filter(level__in=CONGRESS_LEVELS).order_by("code")


class TallyForm(forms.Form):
    """The tellers' counts: four numbers per candidate, named ``<field>_<project id>``."""

    FIELDS = (
        ("votes_for", _("For")),
        ("against", _("Against")),
        ("abstain", _("Abstain")),
        ("invalid", _("Invalid")),
    )

    def __init__(self, *args, tallies, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for tally in tallies:
            names = []
            for name, label in self.FIELDS:
                key = f"{name}_{tally.project_id}"
                self.fields[key] = forms.IntegerField(
                    label=label, min_value=0, initial=getattr(tally, name)
                )
                names.append(key)
            self.rows.append((tally, [self[n] for n in names]))

    def counts(self) -> dict[int, dict]:
        found: dict[int, dict] = {}
        for key, value in self.cleaned_data.items():
            name, _sep, pk = key.rpartition("_")
            found.setdefault(int(pk), {})[name] = value
        return found


class BallotForm(forms.Form):
    def __init__(self, *args, tallies, **kwargs):
        super().__init__(*args, **kwargs)
        for tally in tallies:
            self.fields[f"c_{tally.project_id}"] = forms.ChoiceField(
                label=tally.project.title, choices=Choice.choices, widget=forms.RadioSelect
            )

    def choices(self) -> dict[int, str]:
        return {int(k[2:]): v for k, v in self.cleaned_data.items()}


class CorrectionForm(forms.Form):
    note = forms.CharField(
        label=_("Correction"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


def station_choices(scope) -> QuerySet[Station]:
    """The stations a liaison brings topics from."""
    return Station.objects.filter(pk__in=scope.station_ids, active=True).order_by("name")


def regions_for_representative(rep_id) -> QuerySet[Region]:
    """A representative brings topics to their own congress."""
    return Region.objects.filter(
        code__in=Representative.objects.filter(pk=rep_id).values("region_id")
    )
