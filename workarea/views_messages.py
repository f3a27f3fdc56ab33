"""The message centre's pages: the list, open one (read, then its subject), mark all read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaison.base.notifications.models import Notification
from liaison.base.paging import list_page
from workarea import digests, inbox

SORTS = {"-created": (gettext_lazy("Newest first"), ("-created_at", "-id"))}


@login_required
def message_list(request):
    queryset = inbox.messages_of(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    listing = list_page(request, queryset, sorts=SORTS, default="-created")
    rows = [(message, inbox.subject_url(message)) for message in listing.page]
    return render(
        request,
        "workarea/messages.html",
        {
            "listing": listing,
            "rows": rows,
            "unread_only": unread_only,
            "digest": digests.wants_digest(request.user),
        },
    )


@login_required
def message_open(request, pk: int):
    """Marks the message read and goes to what it is about (or back to the list)."""
    try:
        message = inbox.message_mark_read(user=request.user, message_id=pk)
    except Notification.DoesNotExist as error:
        raise Http404 from error
    return redirect(inbox.subject_url(message) or "staff:messages")


@login_required
@require_POST
def digest_set(request):
    wanted = request.POST.get("daily_digest") == "on"
    digests.preference_set(user=request.user, daily_digest=wanted)
    if wanted and not request.user.email:
        messages.warning(request, _("Your account has no email address: ask an administrator."))
    else:
        messages.success(request, _("Saved."))
    return redirect("staff:messages")


@login_required
@require_POST
def messages_read_all(request):
    count = inbox.messages_mark_all_read(user=request.user)
    messages.success(request, _("%(n)s messages marked read.") % {"n": count})
    return redirect("staff:messages")
