"""Password reset for staff, through the outbox: the login page's "forgot your password"
asks for the username and sends a link, good for PASSWORD_RESET_TIMEOUT, to the
account's email address (staff accounts carry an email, not a phone). The answer is the
same whether or not the account exists, and the requests are limited per address.

A new password set this way still needs the second factor at the next login."""

import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.base import ratelimit
from liaison.base.audit import AuditAction, audit
from liaison.base.notifications.models import Channel, Notification, NotificationKind
from liaison.base.notifications.services import notifications_enqueue

# Per client address: enough for a person who mistyped, not for a sweep of usernames.
REQUESTS = ratelimit.Limit("password-reset", 5, 60 * 60)


class ResetRequestForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)


def reset_request(request):
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.hit(REQUESTS, ratelimit.client_ip(request)):
            form.add_error(None, _("Too many requests from here: try again in an hour."))
        else:
            _send_link(request, form.cleaned_data["username"])
            return render(request, "staff/password_reset.html", {"sent": True})
    status = 400 if form.errors else 200
    return render(request, "staff/password_reset.html", {"form": form}, status=status)


def _send_link(request, username: str) -> None:
    user = (
        get_user_model().objects.filter(username=username, is_active=True).exclude(email="").first()
    )
    if user is None or not user.has_usable_password():
        audit(
            action=AuditAction.PASSWORD,
            request=request,
            username=username,
            result="refused",
            detail="reset requested",
        )
        return
    link = request.build_absolute_uri(
        reverse(
            "staff:password-reset-confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
    )
    minutes = max(1, settings.PASSWORD_RESET_TIMEOUT // 60)
    notifications_enqueue(
        notifications=[
            Notification(
                kind=NotificationKind.PASSWORD_RESET,
                channel=Channel.EMAIL,
                subject_type="auth.user",
                subject_id=user.pk,
                recipient_key=f"user:{user.pk}",
                recipient_name=(user.get_full_name() or user.get_username())[:100],
                address=user.email,
                title=_("Set a new password"),
                body=_(
                    "Someone (we hope you) asked to set a new password for the login "
                    "%(username)s. Open this link within %(minutes)d minutes to do it:\n"
                    "%(link)s\nIf it was not you, ignore this message: your password stays."
                )
                % {"username": user.get_username(), "minutes": minutes, "link": link},
                due_date=timezone.localdate(),
                dedupe_key=f"password-reset:{user.pk}:{uuid.uuid4()}",
            )
        ]
    )
    audit(action=AuditAction.PASSWORD, request=request, user=user, detail="reset requested")


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "staff/password_reset_confirm.html"
    success_url = reverse_lazy("staff:login")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit(action=AuditAction.PASSWORD, request=self.request, user=form.user, detail="reset")
        messages.success(self.request, _("Your new password is set: log in with it."))
        return response
