from django.db import migrations

# The documents' categories; administrators edit the list afterwards.
CATEGORIES = [
    ("education", "教育"),
    ("health", "医疗卫生"),
    ("agriculture", "农业农村"),
    ("water", "水利"),
    ("environment", "生态环境"),
    ("transport", "交通"),
    ("social-security", "社会保障"),
    ("urban-management", "城市管理"),
    ("safety", "安全"),
    ("other", "其他"),
]

# History is never edited: PostgreSQL refuses UPDATE and DELETE on events, whoever
# connects (ORM, raw SQL, a psql session). TRUNCATE stays possible for test flushes.
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION suggestions_caseevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'case events are append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER caseevent_append_only
BEFORE UPDATE OR DELETE ON suggestions_caseevent
FOR EACH ROW EXECUTE FUNCTION suggestions_caseevent_append_only();
"""

DROP_APPEND_ONLY = """
DROP TRIGGER IF EXISTS caseevent_append_only ON suggestions_caseevent;
DROP FUNCTION IF EXISTS suggestions_caseevent_append_only();
"""


def add_categories(apps, schema_editor):
    category = apps.get_model("suggestions", "CaseCategory")
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        category.objects.update_or_create(code=code, defaults={"name": name, "order": order})


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_APPEND_ONLY, params=None)


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0002_cases")]

    operations = [
        migrations.RunPython(add_categories, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
