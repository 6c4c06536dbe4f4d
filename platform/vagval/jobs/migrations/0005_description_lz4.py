"""Compress the ad descriptions with lz4 instead of pglz on PostgreSQL.

Every ad's two descriptions (text and HTML, 4-5 KB each) are TOASTed and compressed on insert;
pglz made that about a third of the COPY time of an ingest. lz4 (PostgreSQL 14+, when the
server is built with it, as Debian's and the official images are) compresses several times
faster at a similar ratio. Existing values stay as they are until rewritten. Elsewhere (SQLite,
an older server or one without lz4) this is a no-op.
"""

from django.db import migrations, transaction

COLUMNS = ("description_text", "description_html")


def _set_compression(apps, schema_editor, method: str) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return
    alter = ", ".join(f"ALTER COLUMN {c} SET COMPRESSION {method}" for c in COLUMNS)
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(f"ALTER TABLE jobs_jobad {alter}")
    except Exception:  # a server built without lz4: keep its default
        if method == "lz4":
            return
        raise


def forwards(apps, schema_editor):
    _set_compression(apps, schema_editor, "lz4")


def backwards(apps, schema_editor):
    _set_compression(apps, schema_editor, "default")


class Migration(migrations.Migration):
    dependencies = [("jobs", "0004_content_hash_single_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
