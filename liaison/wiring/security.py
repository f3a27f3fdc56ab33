"""Role changes into the audit: every admin change to a user, a role row or an
administrator duty (Django's admin log names who did it)."""

from django.contrib.admin.models import LogEntry
from django.db.models.signals import post_save

from liaison.base.audit import AuditAction, audit

ROLE_MODELS = {
    "auth.user",
    "liaison.committeemembership",
    "liaison.adminassignment",
    "stations.stationstaff",
    "suggestions.unitstaff",
}


def _logged(sender, instance: LogEntry, created, **kwargs):
    if not created or instance.content_type is None:
        return
    label = f"{instance.content_type.app_label}.{instance.content_type.model}"
    if label in ROLE_MODELS:
        audit(
            action=AuditAction.ROLE_CHANGE,
            user=instance.user,
            object_type=label,
            object_id=instance.object_id or "",
            detail=instance.get_change_message(),
        )


def connect() -> None:
    post_save.connect(_logged, sender=LogEntry, dispatch_uid="audit-role-change")
