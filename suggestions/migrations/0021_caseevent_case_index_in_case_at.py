import django.db.models.deletion
from django.db import migrations, models

# The case's foreign-key index on the events goes: case_event_case_at_idx (case, at)
# serves its lookups, and the escalation sweep writes thousands of events at once.


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0020_merge_co_unit_deadline_and_fewer_indexes")]

    operations = [
        # Only the index goes: AlterField would also drop and re-add the foreign key,
        # checking it again over every row.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="caseevent",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="suggestions.case",
                        verbose_name="case",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "DROP INDEX IF EXISTS suggestions_caseevent_case_id_fc4720c1",
                    reverse_sql=(
                        "CREATE INDEX IF NOT EXISTS suggestions_caseevent_case_id_fc4720c1 "
                        "ON suggestions_caseevent (case_id)"
                    ),
                ),
            ],
        ),
    ]
