"""The committee's page of the loop with the constituent: the call-back list (回访), the
sample it sets, and the figures of ratings by source and of cases sent back by unit."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.base.flow import FlowError
from liaison.base.jurisdiction import settings_for
from liaison.base.models import CommitteeMembership
from liaison.base.staff_moves import apply_errors
from suggestions.cases import selectors, services
from suggestions.cases.staff.cases import _committee_or_404
from suggestions.models import HandlingUnit, RatingSource, Satisfaction


class SampleForm(forms.Form):
    region_code = forms.ChoiceField(label=gettext_lazy("Region"))
    percent = forms.IntegerField(
        label=gettext_lazy("Call-back sample (%)"), min_value=0, max_value=100
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = regions


@login_required
def callbacks(request):
    _committee_or_404(request.user)
    user = request.user
    regions = list(
        CommitteeMembership.objects.filter(user=user)
        .order_by("region_id")
        .values_list("region_id", "region__name")
    )
    form = SampleForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            services.callback_percent_set(actor=user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        except FlowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The call-back sample is set."))
            return redirect("staff:case-callbacks")
    samples = [(name, settings_for(code).case_callback_percent) for code, name in regions]
    page = Paginator(selectors.callbacks_to_make(user=user), 50).get_page(request.GET.get("page"))
    figures = selectors.loop_figures(user=user)
    units = dict(
        HandlingUnit.objects.filter(pk__in=[k for k in figures["returns"] if k]).values_list(
            "pk", "name"
        )
    )
    context = {
        "form": form,
        "samples": samples,
        "page": page,
        "ratings": [
            (label, [figures["ratings"][source].get(s, 0) for s in Satisfaction.values])
            for source, label in RatingSource.choices
        ],
        "satisfactions": Satisfaction.labels,
        "returns": sorted(
            ((units.get(pk, "—"), n) for pk, n in figures["returns"].items()),
            key=lambda row: -row[1],
        ),
    }
    return render(
        request, "staff/cases/callbacks.html", context, status=400 if form.errors else 200
    )
