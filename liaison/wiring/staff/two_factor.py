"""Two-factor login (liaison/base/totp.py): the staff login asks for the code of a user
who has enrolled; administrators and committee staff must enrol before anything else
(their password alone opens only the enrolment page); others may.

The admin's login is the staff login, so that it asks for the same second factor."""

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from liaison.base import lockout, passwords
from liaison.base.audit import AuditAction, audit
from liaison.base.duties import duty_of
from liaison.base.lockout import LockoutAuthenticationForm
from liaison.base.scopes import scope_of
from liaison.base.session_gate import SessionGateMiddleware
from liaison.base.totp import TwoFactorDevice, confirmed_device, new_secret, provisioning_uri
from stations.qrcodes import qr_svg

PENDING = "two_factor_pending_user"
PENDING_BACKEND = "two_factor_pending_backend"
MUST_ENROL = "two_factor_must_enrol"


def requires_two_factor(user) -> bool:
    return bool(user.is_superuser or duty_of(user) or scope_of(user).is_committee)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("staff:home")


class StaffLoginView(LoginView):
    template_name = "staff/login.html"
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if confirmed_device(user) is not None:
            self.request.session[PENDING] = user.pk
            self.request.session[PENDING_BACKEND] = user.backend
            query = urlencode({"next": self.get_success_url()})
            return redirect(f"{reverse('staff:two-factor-code')}?{query}")
        response = super().form_valid(form)
        if requires_two_factor(user):
            self.request.session[MUST_ENROL] = True
            return redirect("staff:two-factor")
        return response


def code(request):
    """The second step of the login: the code of the enrolled device."""
    user_id = request.session.get(PENDING)
    if user_id is None:
        return redirect("staff:login")
    user = get_user_model().objects.get(pk=user_id)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if lockout.locked(request, user.get_username()):
            form.add_error(None, LockoutAuthenticationForm.error_messages["locked"])
        elif confirmed_device(user).accept(form.cleaned_data["code"]):
            backend = request.session.pop(PENDING_BACKEND)
            request.session.pop(PENDING)
            login(request, user, backend=backend)
            audit(action=AuditAction.TWO_FACTOR, request=request, user=user)
            return redirect(_next(request))
        else:
            lockout.failed(request, user.get_username())
            audit(action=AuditAction.TWO_FACTOR, request=request, user=user, result="refused")
            form.add_error("code", _("That code is wrong or already used."))
    status = 400 if form.errors else 200
    return render(
        request, "staff/two_factor_code.html", {"form": form, "next": _next(request)}, status=status
    )


@login_required
def enrol(request):
    """Set up an authenticator app: scan the QR code, confirm with a first code."""
    device, _created = TwoFactorDevice.objects.get_or_create(
        user=request.user, defaults={"secret": new_secret()}
    )
    if device.confirmed_at is not None and not request.session.get(MUST_ENROL):
        return render(request, "staff/two_factor.html", {"device": device})
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.accept(form.cleaned_data["code"]):
            device.confirmed_at = timezone.now()
            device.save(update_fields=["confirmed_at"])
            request.session.pop(MUST_ENROL, None)
            audit(action=AuditAction.TWO_FACTOR, request=request, detail="enrolled")
            return redirect("staff:home")
        form.add_error("code", _("That code is wrong or already used."))
    uri = provisioning_uri(device.secret, request.user.get_username(), "liaison")
    return render(
        request,
        "staff/two_factor.html",
        {"device": device, "form": form, "qr": qr_svg(uri), "secret": device.secret},
        status=400 if form.errors else 200,
    )


class EnrolmentRequiredMiddleware(SessionGateMiddleware):
    """Until an administrator or committee member enrols, only the enrolment page answers
    to their session."""

    key = MUST_ENROL
    page = "staff:two-factor"
    allowed = ("/staff/two-factor/",)


def admin_login(request, extra_context=None):
    """The admin's login is the staff login (with its lockout and second factor)."""
    query = urlencode({"next": request.GET.get("next", reverse("admin:index"))})
    return redirect(f"{reverse('staff:login')}?{query}")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Staff change their own password (the MLPS rules apply); recorded in the audit."""

    template_name = "staff/password_change.html"
    success_url = reverse_lazy("staff:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(passwords.EXPIRED, None)
        audit(action=AuditAction.PASSWORD, request=self.request, user=self.request.user)
        messages.success(self.request, _("Your password was changed."))
        return response
