import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# A sweep writes tens of thousands of outbox rows at once, each an entry in every index:
# the user's foreign-key index goes (the inbox's, below, serves its lookups), and so do the
# pattern-ops copy of the dedupe key's unique index (keys are looked up whole, never by a
# prefix) and the idempotency key's unique index.
DROPPED = {
    "liaison_notification_user_id_7da60373": "user_id",
    "liaison_notification_dedupe_key_ef86798e_like": "dedupe_key",
}


class Migration(migrations.Migration):
    dependencies = [
        ("liaison", "0022_audit_append_function"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Only the index goes: AlterField would also drop and re-add the foreign key,
        # checking it again over every row.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="user",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="The login that sees an in-app notification.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    [f"DROP INDEX IF EXISTS {name}" for name in DROPPED],
                    reverse_sql=[
                        "CREATE INDEX IF NOT EXISTS liaison_notification_user_id_7da60373 "
                        "ON liaison_notification (user_id)"
                    ],
                ),
            ],
        ),
        # The inbox's index serves the user's rows too (only rows with a user, the in-app
        # ones); the status index leaves out the pending rows (the delivery claim's).
        migrations.RemoveIndex(model_name="notification", name="notification_status_kind_idx"),
        migrations.RemoveIndex(model_name="notification", name="notification_inbox_idx"),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("status", "pending"), _negated=True),
                fields=["status", "kind"],
                name="notification_status_kind_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("user__isnull", False)),
                fields=["user", "created_at"],
                name="notification_inbox_idx",
            ),
        ),
        # A random UUID needs no unique index: nothing looks a row up by it.
        migrations.AlterField(
            model_name="notification",
            name="idempotency_key",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, verbose_name="idempotency key"
            ),
        ),
    ]
