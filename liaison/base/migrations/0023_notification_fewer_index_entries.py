import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# A sweep writes tens of thousands of outbox rows at once, each an entry in every index:
# the user's index covers only the rows that have one (below), and the pattern-ops copy
# of the dedupe key's unique index goes (keys are looked up whole, never by a prefix).
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
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("user__isnull", False)),
                fields=["user"],
                name="notification_user_idx",
            ),
        ),
    ]
