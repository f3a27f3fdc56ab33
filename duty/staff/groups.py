"""/staff/duty/groups/: representative groups (代表小组) managed by the committee: leader,
liaison, members, and the group's activities."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from duty.models import ActivityStatus
from duty.scopes import activities_visible_to
from duty.staff.forms import GroupForm
from duty.staff.record import groups_followed_by
from liaison.base.flow import FlowError
from liaison.base.scopes import regions_visible_to, scope_of
from liaison.base.staff_moves import apply_errors
from representatives.services import group_save
from stations.scopes import representatives_visible_to


@login_required
def group_list(request):
    groups = (
        groups_followed_by(request.user)
        .select_related("region", "leader", "liaison")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("region_id", "name")
    )
    return render(
        request,
        "staff/duty/groups.html",
        {"groups": groups[:500], "may_add": scope_of(request.user).is_committee},
    )


@login_required
def group_edit(request, pk: int | None = None):
    if not scope_of(request.user).is_committee:
        raise Http404
    group = None
    if pk is not None:
        group = get_object_or_404(
            groups_followed_by(request.user).filter(region__in=regions_visible_to(request.user)),
            pk=pk,
        )
    form = GroupForm(
        request.POST or None,
        instance=group,
        representatives=representatives_visible_to(request.user),
        regions=regions_visible_to(request.user),
        users=get_user_model().objects.filter(is_active=True).order_by("username"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = group_save(
                actor=request.user,
                group=form.save(commit=False),
                members=form.cleaned_data["members"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        except FlowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Group saved."))
            return redirect("staff:duty-group", pk=saved.pk)
    activities = []
    if group is not None:
        activities = (
            activities_visible_to(request.user)
            .filter(group=group)
            .exclude(status=ActivityStatus.WITHDRAWN)
            .order_by("-date")[:50]
        )
    return render(
        request,
        "staff/duty/group.html",
        {"form": form, "group": group, "activities": activities},
        status=400 if form.is_bound and form.errors else 200,
    )
