"""pg_trgm indexes behind the work area's search (suggestions/cases/search.py,
suggestions/proposals/search.py): Chinese keywords, phone endings and names found without
reading the table. PostgreSQL only: SQLite searches the same way without them.

Each index is on exactly the expression Django writes for the lookup (``UPPER(col::text)``
for ``icontains``, ``col::text`` for ``endswith``), or the planner would not use it.
"""

from django.db import migrations

INDEXES = [
    ("case_title_trgm_idx", "suggestions_case", "UPPER((title)::text)"),
    ("case_description_trgm_idx", "suggestions_case", "UPPER(description)"),
    ("suggestion_title_trgm_idx", "suggestions_suggestion", "UPPER((title)::text)"),
    ("suggestion_content_trgm_idx", "suggestions_suggestion", "UPPER(content)"),
    ("visit_phone_trgm_idx", "stations_visit", "((constituent_phone)::text)"),
    ("visit_name_trgm_idx", "stations_visit", "((constituent_name)::text)"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _expression in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("workarea", "0001_initial"),
        ("suggestions", "0012_open_suggestions_sweep_date"),
        ("stations", "0007_duty_attendance"),
    ]

    operations = [migrations.RunPython(create, drop)]
