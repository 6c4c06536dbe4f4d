"""Test helper: prove that a marker string is nowhere in the database.

A deletion test fills every field of a person's records with a marker, deletes the account,
then calls `assert_no_marker_in_database(marker)`, which looks through every text-like and JSON
column of every model table (including many-to-many tables) for it. Use ASCII markers: JSON is
stored with non-ASCII characters escaped on some databases.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connection, models
from django.db.models.functions import Cast

_TEXT_TYPES = {
    "CharField",
    "TextField",
    "EmailField",
    "SlugField",
    "URLField",
    "FilePathField",
    "FileField",
    "ImageField",
    "GenericIPAddressField",
    "JSONField",
    "UUIDField",
}


def _text_columns(model: type[models.Model]) -> list[str]:
    names = []
    for field in model._meta.concrete_fields:
        if field.get_internal_type() in _TEXT_TYPES or isinstance(field, models.JSONField):
            names.append(field.attname)
    return names


def marker_locations(marker: str) -> list[str]:
    """`app.Model.field (n rows)` for every column holding `marker` (case-insensitive)."""
    if not marker:
        raise ValueError("An empty marker matches everything")
    tables = set(connection.introspection.table_names())
    found = []
    seen_tables: set[str] = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or meta.db_table not in tables or meta.db_table in seen_tables:
            continue
        seen_tables.add(meta.db_table)
        for column in _text_columns(model):
            # Cast to text so JSON and other types are searched as their stored text.
            count = (
                model._base_manager.annotate(_marker_text=Cast(column, models.TextField()))
                .filter(_marker_text__icontains=marker)
                .count()
            )
            if count:
                found.append(f"{meta.label}.{column} ({count} rows)")
    return found


def assert_no_marker_in_database(marker: str) -> None:
    """Fail with the list of places if `marker` occurs in any text or JSON column."""
    found = marker_locations(marker)
    assert not found, f"marker {marker!r} still in the database: {', '.join(found)}"
