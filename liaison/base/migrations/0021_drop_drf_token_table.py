"""Drops DRF's token table, emptied by 0018 (its keys were moved, hashed, into ApiToken):
``rest_framework.authtoken`` is no longer installed, so nothing else would remove it."""

from django.db import migrations


def drop(apps, schema_editor):
    if "authtoken_token" in schema_editor.connection.introspection.table_names():
        schema_editor.execute("DROP TABLE authtoken_token")


class Migration(migrations.Migration):
    dependencies = [("liaison", "0020_merge_imports_and_passwords")]

    operations = [migrations.RunPython(drop, migrations.RunPython.noop, elidable=True)]
