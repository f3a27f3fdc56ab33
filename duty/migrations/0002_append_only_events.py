from django.db import migrations

# History is never edited: PostgreSQL refuses UPDATE and DELETE on activity and report
# events, whoever connects, as it does for case, suggestion and reception-day events.
TABLES = ("duty_activityevent", "duty_dutyreportevent")

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'history is append-only: % on {table} refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_append_only
BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
"""

DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS {table}_append_only ON {table};
DROP FUNCTION IF EXISTS {table}_append_only();
"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(APPEND_ONLY.format(table=table), params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(DROP_APPEND_ONLY.format(table=table), params=None)


class Migration(migrations.Migration):
    dependencies = [("duty", "0001_initial")]

    operations = [migrations.RunPython(add_triggers, drop_triggers)]
