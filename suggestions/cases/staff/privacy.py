"""The committee's page of personal data requests (PIPL): log a person's request to see
or delete the data kept under their phone, read the visits found, and handle it
(suggestions/cases/privacy.py has the rules)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.base.audit import audit_read
from liaison.base.models import CommitteeMembership
from liaison.base.staff_moves import apply_errors
from suggestions.cases import privacy
from suggestions.cases.staff.cases import _committee_or_404
from suggestions.models import DataRequestKind, DataRequestStatus

ACTIONS = ("answer", "delete", "refuse")


class ReceiveForm(forms.Form):
    region_code = forms.ChoiceField(label=gettext_lazy("Committee"))
    kind = forms.ChoiceField(label=gettext_lazy("Request"), choices=DataRequestKind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=20)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region_code"].choices = regions


class HandleForm(forms.Form):
    outcome = forms.CharField(
        label=gettext_lazy("What was done (or why not)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@login_required
def request_list(request):
    _committee_or_404(request.user)
    regions = list(
        CommitteeMembership.objects.filter(user=request.user)
        .order_by("region_id")
        .values_list("region_id", "region__name")
    )
    form = ReceiveForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            created = privacy.data_request_receive(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The request is recorded."))
            return redirect("staff:data-request", pk=created.pk)
    requests = privacy.data_requests_visible_to(request.user).select_related("region")
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/cases/data_requests.html",
        {"form": form, "page": page},
        status=400 if form.errors else 200,
    )


@login_required
def request_detail(request, pk: int):
    _committee_or_404(request.user)
    data_request = (
        privacy.data_requests_visible_to(request.user)
        .select_related("region", "received_by", "handled_by")
        .filter(pk=pk)
        .first()
    )
    if data_request is None:
        raise Http404
    form = HandleForm(request.POST or None)
    action = request.POST.get("action")
    if request.method == "POST" and action in ACTIONS and form.is_valid():
        try:
            privacy.data_request_handle(
                actor=request.user,
                request_id=pk,
                action=action,
                outcome=form.cleaned_data["outcome"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The request is handled."))
            return redirect("staff:data-request", pk=pk)
    elif request.method == "POST" and action not in ACTIONS:
        form.add_error(None, _("Choose what to do with the request."))
    visits = list(
        privacy.data_request_visits(data_request)
        .select_related("station")
        .prefetch_related("cases")
        .order_by("-visited_at")[:200]
    )
    if visits:
        ids = ",".join(str(visit.pk) for visit in visits)
        audit_read(request, object_type="stations.visit", object_id=ids[:64], detail="data request")
    context = {
        "data_request": data_request,
        "visits": visits,
        "form": form,
        "is_open": data_request.status == DataRequestStatus.OPEN,
        "may_delete": data_request.kind == DataRequestKind.DELETE,
    }
    return render(
        request, "staff/cases/data_request.html", context, status=400 if form.errors else 200
    )
