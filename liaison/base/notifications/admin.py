from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from liaison.base.notifications.models import Notification, NotificationKind, NotificationStatus
from liaison.base.notifications.services import (
    notifications_resend,
    notifications_resolve_unknown,
)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "kind",
        "channel",
        "recipient_name",
        "due_date",
        "status",
        "attempts",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "channel", "kind", "due_date"]
    date_hierarchy = "created_at"
    search_fields = ["recipient_name", "recipient_key", "dedupe_key", "title"]
    list_per_page = 50
    actions = ["resend_failed", "unknown_was_sent", "unknown_send_again"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        # A reset link in the admin would let whoever reads it set that account's password.
        if obj is not None and obj.kind == NotificationKind.PASSWORD_RESET:
            return [field for field in fields if field != "body"]
        return fields

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("last error"))
    def short_error(self, notification):
        return notification.last_error[:80]

    @admin.action(description=_("Re-send the selected failed notifications"))
    def resend_failed(self, request, queryset):
        ids = list(queryset.filter(status=NotificationStatus.FAILED).values_list("pk", flat=True))
        count = notifications_resend(ids=ids)
        self.message_user(
            request,
            ngettext(
                "%(count)d failed notification queued again.",
                "%(count)d failed notifications queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    def _resolve(self, request, queryset, *, sent: bool):
        ids = list(queryset.filter(status=NotificationStatus.UNKNOWN).values_list("pk", flat=True))
        count = notifications_resolve_unknown(ids=ids, sent=sent)
        self.message_user(
            request,
            ngettext(
                "%(count)d notification with an unknown outcome resolved.",
                "%(count)d notifications with an unknown outcome resolved.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    @admin.action(description=_("Outcome unknown: the gateway has them, mark them sent"))
    def unknown_was_sent(self, request, queryset):
        self._resolve(request, queryset, sent=True)

    @admin.action(description=_("Outcome unknown: not received, send them once more"))
    def unknown_send_again(self, request, queryset):
        self._resolve(request, queryset, sent=False)
