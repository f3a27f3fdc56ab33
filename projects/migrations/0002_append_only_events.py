from django.db import migrations

# History is never edited: PostgreSQL refuses UPDATE and DELETE on project and vote
# events, whoever connects, as it does for every other flow's events.
TABLES = ("projects_projectevent", "projects_voteevent")

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

# A published count is the result: PostgreSQL refuses to change the figures of a tally
# whose vote is published, whatever writes it.
FROZEN_TALLY = """
CREATE OR REPLACE FUNCTION projects_tally_frozen() RETURNS trigger AS $$
BEGIN
    IF (SELECT status FROM projects_vote WHERE id = OLD.vote_id) = 'published' THEN
        RAISE EXCEPTION 'a published count is never changed'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER projects_tally_frozen
BEFORE UPDATE OR DELETE ON projects_tally
FOR EACH ROW EXECUTE FUNCTION projects_tally_frozen();
"""

DROP_FROZEN_TALLY = """
DROP TRIGGER IF EXISTS projects_tally_frozen ON projects_tally;
DROP FUNCTION IF EXISTS projects_tally_frozen();
"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(APPEND_ONLY.format(table=table), params=None)
        schema_editor.execute(FROZEN_TALLY, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(DROP_APPEND_ONLY.format(table=table), params=None)
        schema_editor.execute(DROP_FROZEN_TALLY, params=None)


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]

    operations = [migrations.RunPython(add_triggers, drop_triggers)]
