"""/staff/duty/contacts/: fixed constituent contacts (personal data) and contacts made.

A representative sees and keeps their own list; a committee sees those who live in its
region (``contacts_visible_to``); nobody else, and never on a public page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duty.models import ContactMade
from duty.scopes import contacts_visible_to
from duty.services.contacts import contact_made_record, fixed_contact_add, fixed_contact_update
from duty.staff.forms import ContactForm, ContactMadeForm
from liaison.base.flow import FlowError
from liaison.base.models import Region
from liaison.base.paging import list_page
from liaison.base.scopes import regions_visible_to, scope_of
from liaison.base.staff_moves import apply_errors
from representatives.models import Representative

SORTS = {
    "name": (gettext_lazy("Name"), ("representative_id", "name", "id")),
    "-last": (gettext_lazy("Longest without contact"), ("last_contact", "id")),
}


def _regions(user):
    """Where a constituent may live: a committee's region, a representative's county."""
    scope = scope_of(user)
    if scope.is_committee:
        return regions_visible_to(user)
    rep = Representative.objects.get(pk=scope.representative_id)
    county = rep.region_id[:6] + "000000" if rep.level in ("county", "township") else rep.region_id
    low, high = Region(code=county, level=Region.objects.get(pk=county).level).bounds
    return Region.objects.filter(code__range=(low, high))


@login_required
def contact_list(request):
    scope = scope_of(request.user)
    if scope.representative_id is None and not scope.is_committee:
        raise Http404
    contacts = contacts_visible_to(request.user).select_related("representative", "region")
    contacts = contacts.annotate(
        last_contact=Max("made__date"),
        times=Count("made", filter=_this_year()),
    )
    listing = list_page(request, contacts, sorts=SORTS, default="name")
    form = None
    if scope.representative_id is not None:
        form = ContactForm(request.POST or None, regions=_regions(request.user))
        if request.method == "POST" and form.is_valid():
            try:
                fixed_contact_add(
                    actor=request.user,
                    representative=Representative.objects.get(pk=scope.representative_id),
                    **form.cleaned_data,
                )
            except ValidationError as error:
                apply_errors(form, error)
            except FlowError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Contact added."))
                return redirect("staff:duty-contacts")
    return render(
        request,
        "staff/duty/contacts.html",
        {"listing": listing, "form": form, "year": timezone.localdate().year},
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


def _this_year():
    return Q(made__date__year=timezone.localdate().year)


@login_required
def contact_detail(request, pk: int):
    contact = get_object_or_404(
        contacts_visible_to(request.user)
        .select_related("representative", "region")
        .prefetch_related(
            Prefetch("made", queryset=ContactMade.objects.select_related("recorded_by"))
        ),
        pk=pk,
    )
    made_form = ContactMadeForm(request.POST if "made" in request.POST else None, prefix="made")
    edit_form = ContactForm(
        request.POST if "edit" in request.POST else None,
        prefix="edit",
        regions=_regions(request.user) | Region.objects.filter(pk=contact.region_id),
        initial={
            "name": contact.name,
            "phone": contact.phone,
            "address": contact.address,
            "region": contact.region_id,
            "note": contact.note,
        },
    )
    if request.method == "POST":
        try:
            if "made" in request.POST and made_form.is_valid():
                contact_made_record(
                    contact_id=contact.pk, actor=request.user, **made_form.cleaned_data
                )
                messages.success(request, _("Contact recorded."))
                return redirect("staff:duty-contact", pk=contact.pk)
            if "edit" in request.POST and edit_form.is_valid():
                fixed_contact_update(
                    contact_id=contact.pk,
                    actor=request.user,
                    active=request.POST.get("edit-active") == "on",
                    **edit_form.cleaned_data,
                )
                messages.success(request, _("Contact saved."))
                return redirect("staff:duty-contact", pk=contact.pk)
        except ValidationError as error:
            apply_errors(made_form if "made" in request.POST else edit_form, error)
        except FlowError as error:
            messages.error(request, error.message)
    return render(
        request,
        "staff/duty/contact.html",
        {"contact": contact, "made_form": made_form, "edit_form": edit_form},
        status=400 if request.method == "POST" else 200,
    )
