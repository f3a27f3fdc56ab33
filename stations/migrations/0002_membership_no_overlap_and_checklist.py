from django.db import migrations

EXCLUSION = """
ALTER TABLE stations_stationmembership
ADD CONSTRAINT membership_no_overlap
EXCLUDE USING gist (
    station_id WITH =,
    representative_id WITH =,
    daterange(start_date, end_date, '[]') WITH &&
)
"""

# The standard of a station: 荷塘区 "十有".
CHECKLIST = [
    ("sign", "有牌子"),
    ("venue", "有场所"),
    ("staff", "有人员"),
    ("equipment", "有设备"),
    ("rules", "有制度"),
    ("funding", "有经费"),
    ("study", "有学习资料"),
    ("plan", "有计划"),
    ("activities", "有活动"),
    ("archive", "有档案"),
]


def add_exclusion(apps, schema_editor):
    # Overlapping dated memberships can only be refused by PostgreSQL; services check
    # the same rule on SQLite.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        schema_editor.execute(EXCLUSION)


def drop_exclusion(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE stations_stationmembership DROP CONSTRAINT membership_no_overlap"
        )


def add_checklist(apps, schema_editor):
    item = apps.get_model("stations", "ChecklistItem")
    for order, (code, name) in enumerate(CHECKLIST, start=1):
        item.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("stations", "0001_initial")]

    operations = [
        migrations.RunPython(add_exclusion, drop_exclusion),
        migrations.RunPython(add_checklist, migrations.RunPython.noop),
    ]
