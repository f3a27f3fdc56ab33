"""Logins, logouts and failed logins into the audit (``audit.py``)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from liaison.base.audit import AuditAction, audit


def _logged_in(sender, request, user, **kwargs):
    audit(action=AuditAction.LOGIN, request=request, user=user)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit(action=AuditAction.LOGOUT, request=request, user=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    # The username only: never the password that was tried.
    audit(
        action=AuditAction.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", "")),
        result="refused",
    )


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
