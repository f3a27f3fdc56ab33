"""The audit chain's append as one PostgreSQL function (liaison/base/audit.py): the lock,
the previous hash and the insert in one round trip instead of five."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION liaison_audit_append(
    p_at timestamptz, p_user_id bigint, p_username text, p_address text, p_action text,
    p_object_type text, p_object_id text, p_result text, p_detail text, p_content text,
    p_lock bigint
) RETURNS TABLE (row_id bigint, row_previous text, row_hash text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    previous text;
    digest text;
BEGIN
    -- One append at a time; in READ COMMITTED the next statement sees the last commit.
    PERFORM pg_advisory_xact_lock(p_lock);
    SELECT hash INTO previous FROM liaison_auditrecord ORDER BY id DESC LIMIT 1;
    previous := coalesce(previous, repeat('0', 64));
    -- p_content is the row's JSON content without its last element, the previous hash.
    digest := encode(sha256(convert_to(p_content || '"' || previous || '"]', 'UTF8')), 'hex');
    RETURN QUERY
    INSERT INTO liaison_auditrecord (
        at, user_id, username, address, action, object_type, object_id, result, detail,
        previous_hash, hash)
    VALUES (p_at, p_user_id, p_username, p_address, p_action, p_object_type, p_object_id,
            p_result, p_detail, previous, digest)
    RETURNING id, previous_hash::text, hash::text;
END
$$;
"""
DROP = "DROP FUNCTION IF EXISTS liaison_audit_append(timestamptz, bigint, text, text, text, text, text, text, text, text, bigint);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("liaison", "0021_drop_drf_token_table")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
